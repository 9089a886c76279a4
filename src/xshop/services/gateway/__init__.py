"""Gateway / BFF (port 3100): the browser's only entry point. Owns no data; sets cookies and CSRF."""
