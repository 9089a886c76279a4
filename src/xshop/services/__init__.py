"""One package per service. A service never imports another service's package."""
