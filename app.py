"""Entry point for `flask run` and gunicorn (`gunicorn app:app`)."""

import sys

from webinar import create_app
from webinar.config import ConfigurationError

try:
    app = create_app()
except ConfigurationError as error:
    # A clear sentence for the operator, not a traceback.
    sys.exit(f"Cannot start: {error}")
