"""HTTP plumbing shared by every service: app factory, problem responses, middleware, service clients."""
