"""Auth service (port 3001): registration workflow, tokens, sessions; orchestrates users over HTTP."""
