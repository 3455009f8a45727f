"""Add-to-calendar links, per-event .ics downloads and the subscribable feed."""
