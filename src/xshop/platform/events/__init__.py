"""Events: CloudEvents envelope, bus interface and adapters, transactional outbox, inbox."""
