"""The yardstick for `make bench`: the least a Flask app can do, under the same gunicorn.

`/` answers a GET with a short page and a POST with a redirect, so every scenario of the
real app (pages, and a form's GET then POST) has a counterpart that costs only Flask,
Werkzeug and gunicorn.
"""

from __future__ import annotations

from flask import Flask, redirect, request
from werkzeug.wrappers import Response

app = Flask(__name__)

PAGE = "<!DOCTYPE html><html lang='en'><title>Minimal</title><p>Hello</p></html>"


@app.route("/", methods=["GET", "POST"])
def index() -> str | Response:
    if request.method == "POST":
        return redirect("/")
    return PAGE
