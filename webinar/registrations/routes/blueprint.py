"""The registrations blueprint; the route modules beside this one attach their views."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("registrations", __name__)
