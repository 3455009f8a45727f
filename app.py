"""Entry point for `flask run` and gunicorn (`gunicorn app:app`)."""

from webinar import create_app

app = create_app()
