"""Forms of the server-rendered pages, one module per area."""
