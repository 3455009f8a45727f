"""Refused input, personal data outside the purge, health checks."""
