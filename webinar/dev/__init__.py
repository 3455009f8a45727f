"""Development-only pages. The blueprint is registered only in debug mode or tests."""
