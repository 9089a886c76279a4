"""Events gateway (port 4000): publish API for producers in other languages, dead letters, AsyncAPI."""
