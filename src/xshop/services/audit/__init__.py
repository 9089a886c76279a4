"""Audit service (port 3004): records every event, redacted, and lets admins search the trail."""
