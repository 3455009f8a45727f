"""Checks every rendered page must pass, and helpers to read pages as a person would."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag
from werkzeug.test import TestResponse


def parse(response: TestResponse) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text_of(element: Tag | None) -> str:
    assert element is not None
    return " ".join(element.get_text(" ").split())


def check_page(response: TestResponse) -> BeautifulSoup:
    """One h1; the title starts with it; lang set; forms say where they go; quick exit."""
    assert response.mimetype == "text/html"
    page = parse(response)
    html = page.find("html")
    assert isinstance(html, Tag) and html.get("lang") == "en"
    headings = page.find_all("h1")
    assert len(headings) == 1, f"expected one h1, found {len(headings)}"
    h1 = text_of(headings[0])
    title = text_of(page.find("title"))
    assert title.removeprefix("Error: ").startswith(h1), f"title {title!r} vs h1 {h1!r}"
    for form in page.find_all("form"):
        assert form.get("action"), "every form needs an action"
        assert form.get("novalidate") is not None, "forms use our validation, not the browser's"
    check_quick_exit(page)
    return page


def check_quick_exit(page: BeautifulSoup) -> None:
    link = page.select_one("a[data-quick-exit]")
    assert link is not None, "every page has a quick exit"
    assert text_of(link).endswith("Leave this site")
    assert set(str(link.get("rel", "")).split()) | set(link.get("rel") or []) >= {
        "nofollow",
        "noreferrer",
    }
    assert page.select_one('script[src$="js/quick-exit.js"]') is not None
    assert page.select_one('meta[name="quick-exit-url"]') is not None


def error_summary(page: BeautifulSoup) -> list[str]:
    summary = page.select_one(".govuk-error-summary")
    if summary is None:
        return []
    return [text_of(item) for item in summary.select("li")]


def field_errors(page: BeautifulSoup) -> dict[str, str]:
    errors = {}
    for message in page.select(".govuk-error-message"):
        identifier = str(message.get("id", "")).removesuffix("-error")
        errors[identifier] = text_of(message).removeprefix("Error: ").strip()
    return errors
