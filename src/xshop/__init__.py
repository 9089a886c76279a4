"""xshop: an event-driven e-commerce platform."""
