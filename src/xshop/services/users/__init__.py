"""Users service (port 3002): owns user records, validates and hashes; publishes ``user.*`` events."""
