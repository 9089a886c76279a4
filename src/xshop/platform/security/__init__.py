"""Password hashing, tokens and the request principal."""
