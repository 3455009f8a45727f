"""The organisers' blueprint; the route modules attach their views to it."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("organisers", __name__, url_prefix="/organisers")
