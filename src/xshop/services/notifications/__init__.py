"""Notifications service (port 3003): turns events into emails, sends each once, logs every attempt."""
