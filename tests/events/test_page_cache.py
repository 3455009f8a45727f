"""Public pages come from the cache, and stop coming from it the moment they change.

"Behind the site's back" below is a change made in SQL without the services: the cache
cannot know about it, so a visitor who still sees the old page was served from the cache
(docs/architecture.md#public-page-cache).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, session
from flask.testing import FlaskClient
from sqlalchemy import select, update

from tests.factories import Factory
from tests.organisers.conftest import make_organiser, sign_in
from tests.pages import check_page, text_of
from webinar.extensions import db
from webinar.models import (
    Event,
    EventAccess,
    EventStatus,
    OrganiserRole,
    PageVersion,
    utc_now,
)
from webinar.organisers.services.event_access import change_access
from webinar.organisers.services.events import unpublish_event
from webinar.page_cache import cached_page
from webinar.page_version import current_version
from webinar.registrations.cancellation import cancel_registration


def behind_the_sites_back(event: Event, **values: Any) -> None:
    db.session.execute(update(Event).where(Event.id == event.id).values(**values))
    db.session.commit()


def heading(client: FlaskClient, path: str, **kwargs: Any) -> str:
    return text_of(check_page(client.get(path, **kwargs)).find("h1"))


def in_own_request(app: Flask, send: Any, path: str) -> Any:
    """Run a request with an app context of its own, as in production.

    In tests a request shares the test's app context, and with it `g`, where Flask-Login
    keeps the signed-in user: an organiser's request after a visitor's would be anonymous.
    """
    db.session.commit()  # SQLite: the request must be able to begin its own transaction
    with app.app_context():
        return send(path)


def availability(client: FlaskClient, event: Event) -> str:
    page = check_page(client.get(f"/events/{event.slug}"))
    return text_of(page.select_one(".app-availability .govuk-tag"))


def test_the_next_anonymous_visitor_gets_the_page_from_the_cache(
    app: Flask, factory: Factory
) -> None:
    event = factory.event(title="Before")
    assert heading(app.test_client(), f"/events/{event.slug}") == "Before"

    behind_the_sites_back(event, title="After")

    assert heading(app.test_client(), f"/events/{event.slug}") == "Before"


def test_a_visitor_with_a_session_is_never_served_from_the_cache(
    app: Flask, factory: Factory
) -> None:
    event = factory.event(title="Before")
    assert heading(app.test_client(), f"/events/{event.slug}") == "Before"
    behind_the_sites_back(event, title="After")

    with_session = app.test_client()
    with_session.set_cookie("session", "anything")

    assert heading(with_session, f"/events/{event.slug}") == "After"


def test_a_visit_with_a_session_is_never_kept_for_others(app: Flask, factory: Factory) -> None:
    event = factory.event(title="Before")
    organiser = sign_in(app.test_client(), make_organiser(OrganiserRole.ORGANISER))
    page = check_page(in_own_request(app, organiser.get, "/"))
    assert "Dashboard" in text_of(page.select_one(".govuk-service-navigation"))
    behind_the_sites_back(event, title="After")

    page = check_page(app.test_client().get("/"))

    assert "After" in text_of(page.find("main"))
    assert "Dashboard" not in text_of(page.select_one(".govuk-service-navigation"))


def test_only_requests_to_the_sites_own_address_use_the_cache(app: Flask, factory: Factory) -> None:
    """Made-up Host headers would otherwise each keep copies and push the real pages out."""
    event = factory.event(title="Before")
    path = f"/events/{event.slug}"
    assert heading(app.test_client(), path, base_url="http://made-up.example") == "Before"
    assert heading(app.test_client(), path) == "Before"
    behind_the_sites_back(event, title="After")

    assert heading(app.test_client(), path, base_url="http://made-up.example") == "After"
    assert heading(app.test_client(), path) == "Before"


def test_campaign_links_are_served_from_the_cache_other_query_strings_are_not(
    app: Flask, factory: Factory
) -> None:
    event = factory.event(title="Before")
    path = f"/events/{event.slug}"
    assert heading(app.test_client(), path) == "Before"
    behind_the_sites_back(event, title="After")

    assert heading(app.test_client(), path + "?utm_source=facebook&fbclid=AbC123") == "Before"
    assert heading(app.test_client(), path + "?email=someone@example.com") == "After"
    # ...and the page made for that query string was not kept for everyone else.
    assert heading(app.test_client(), path) == "Before"


def test_a_form_post_is_never_answered_from_the_cache(app: Flask, factory: Factory) -> None:
    event = factory.event()
    client = app.test_client()
    client.get(f"/events/{event.slug}")

    assert client.post(f"/events/{event.slug}").status_code == 405


def test_a_response_that_sets_a_cookie_is_never_kept(app: Flask) -> None:
    renders = []

    @app.get("/sets-a-cookie")
    @cached_page
    def sets_a_cookie() -> str:
        renders.append(1)
        session["visited"] = True
        return "hello"

    for _ in range(2):
        assert app.test_client().get("/sets-a-cookie").status_code == 200

    assert len(renders) == 2


def test_a_missing_page_is_not_kept(app: Flask, factory: Factory) -> None:
    event = factory.event(status=EventStatus.DRAFT, title="Draft")
    assert app.test_client().get(f"/events/{event.slug}").status_code == 404

    behind_the_sites_back(event, status=EventStatus.PUBLISHED)

    assert heading(app.test_client(), f"/events/{event.slug}") == "Draft"


def test_organiser_changes_show_on_the_public_pages_at_once(app: Flask, factory: Factory) -> None:
    event = factory.event(status=EventStatus.DRAFT, title="Winter safety talk")
    organiser = sign_in(app.test_client(), make_organiser(OrganiserRole.ORGANISER))
    visitor = app.test_client()
    assert visitor.get(f"/events/{event.slug}").status_code == 404
    assert "Winter safety talk" not in visitor.get("/").get_data(as_text=True)

    in_own_request(app, organiser.post, f"/organisers/events/{event.id}/publish")

    assert heading(visitor, f"/events/{event.slug}") == "Winter safety talk"
    assert "Winter safety talk" in visitor.get("/").get_data(as_text=True)
    assert b"Winter safety talk" in visitor.get("/calendar.ics").get_data()

    in_own_request(app, organiser.post, f"/organisers/events/{event.id}/cancel")

    assert availability(visitor, event) == "Cancelled"
    assert b"Cancelled: Winter safety talk" in visitor.get("/calendar.ics").get_data()


def test_services_that_change_events_end_their_cached_pages(app: Flask, factory: Factory) -> None:
    organiser = make_organiser(OrganiserRole.ORGANISER)
    event = factory.event(capacity=1)
    visitor = app.test_client()
    assert availability(visitor, event) == "Places available"

    change_access(event=event, access=EventAccess.CODE, access_code="ABC", organiser=organiser)
    db.session.commit()
    assert "You need an access code" in visitor.get(f"/events/{event.slug}").get_data(as_text=True)

    unpublish_event(event=event, organiser=organiser)
    db.session.commit()
    assert visitor.get(f"/events/{event.slug}").status_code == 404


def test_the_booking_that_fills_the_last_place_and_the_cancellation_that_frees_it(
    app: Flask, factory: Factory
) -> None:
    event = factory.event(capacity=4)
    visitor = app.test_client()
    factory.registration(event)
    version = current_version()
    assert availability(visitor, event) == "Places available"

    # Places still left: the cache is not emptied by every booking of a surge.
    factory.registration(event)
    assert current_version() == version

    factory.registration(event)
    last = factory.registration(event)
    assert availability(visitor, event) == "Full"
    assert "Full" in text_of(check_page(visitor.get("/")).find("main"))

    cancel_registration(registration=last, now=utc_now())
    db.session.commit()
    assert availability(visitor, event) == "Places available"


def test_registration_opening_by_the_clock_shows_without_any_change(
    app: Flask, factory: Factory, frozen_time: Any
) -> None:
    event = factory.event(registration_opens_at_utc=utc_now() + timedelta(seconds=20))
    visitor = app.test_client()
    assert availability(visitor, event) == "Registration not open yet"

    frozen_time.shift(timedelta(seconds=21))

    assert availability(visitor, event) == "Places available"
    assert "Places available" in text_of(check_page(visitor.get("/")).find("main"))


def test_a_change_behind_the_sites_back_shows_within_the_cache_life(
    app: Flask, factory: Factory, frozen_time: Any
) -> None:
    event = factory.event(title="Before")
    assert heading(app.test_client(), f"/events/{event.slug}") == "Before"
    behind_the_sites_back(event, title="After")

    frozen_time.shift(timedelta(seconds=app.config["PAGE_CACHE_SECONDS"] + 1))

    assert heading(app.test_client(), f"/events/{event.slug}") == "After"


@pytest.mark.parametrize("path", ["/", "/privacy-notice", "/calendar.ics", "EVENT"])
def test_browsers_and_calendar_apps_can_ask_whether_a_page_changed(
    app: Flask, factory: Factory, path: str
) -> None:
    event = factory.event()
    path = f"/events/{event.slug}" if path == "EVENT" else path
    client = app.test_client()
    first = client.get(path)
    etag = first.headers["ETag"]

    again = client.get(path, headers={"If-None-Match": etag})
    head = client.head(path)

    assert again.status_code == 304 and again.get_data() == b""
    assert head.status_code == 200 and head.headers["ETag"] == etag
    # Pages are still kept by no browser; the feed is kept but checked every time.
    expected = "no-cache" if path == "/calendar.ics" else "no-store"
    assert first.headers["Cache-Control"] == again.headers["Cache-Control"] == expected


def test_a_cached_page_still_has_every_security_header(app: Flask, factory: Factory) -> None:
    first = app.test_client().get("/")
    cached = app.test_client().get("/")

    for header in ("Content-Security-Policy", "Referrer-Policy", "X-Frame-Options"):
        assert cached.headers[header] == first.headers[header]
    assert cached.get_data() == first.get_data()


def test_the_cache_works_the_same_on_postgresql(pg_app: Flask) -> None:
    event = Factory().event(capacity=1, title="Before")
    visitor = pg_app.test_client()
    assert availability(visitor, event) == "Places available"
    behind_the_sites_back(event, title="After")
    assert heading(visitor, f"/events/{event.slug}") == "Before"

    Factory().registration(event)

    assert availability(visitor, event) == "Full"
    assert heading(visitor, f"/events/{event.slug}") == "After"


def test_the_version_rises_when_the_change_commits_and_not_when_it_is_undone(
    app: Flask, factory: Factory
) -> None:
    """Raised as the transaction's last statement, so the site-wide row is locked only
    from then to the commit, even while an event's cancellation queues its emails."""
    organiser = make_organiser(OrganiserRole.ORGANISER)
    event = factory.event()
    db.session.commit()
    before = current_version()
    assert before is not None

    unpublish_event(event=event, organiser=organiser)
    with db.session.begin_nested():
        db.session.flush()  # a savepoint committed on the way does not count it yet
    assert db.session.scalar(select(PageVersion.version)) == before
    db.session.commit()
    assert current_version() == before + 1

    change_access(
        event=event, access=EventAccess.CODE, access_code="HARBOUR-42", organiser=organiser
    )
    savepoint = db.session.begin_nested()
    savepoint.rollback()  # a savepoint undone later keeps what came before it
    db.session.commit()
    assert current_version() == before + 2

    change_access(event=event, access=EventAccess.OPEN, access_code=None, organiser=organiser)
    db.session.rollback()
    db.session.commit()
    assert current_version() == before + 2
