"""Gunicorn settings read from the working directory by `gunicorn app:app`.

Access logs must never hold a manage link's token (a bearer credential), so the access
logger redacts /booking/<token> paths wherever they appear (request line, Referer...).
"""

logger_class = "webinar.gunicorn_logging.RedactingLogger"
accesslog = "-"
