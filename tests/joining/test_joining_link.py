"""Each booking's own joining link: it opens the meeting only in its window, only while
booked, and says nothing to anyone else (docs/safety.md#personal-joining-links)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from flask.testing import FlaskClient

from tests.factories import Factory, join_url
from tests.joining.conftest import joining_path
from tests.notifications.helpers import CAMPAIGN_WORDS, send_now
from tests.pages import check_page, text_of
from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.models import EventFormat
from webinar.registrations.cancellation import cancel_registration

STARTS = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
MEETING = "https://meet.example.org/room"


def _unknown_page(client: FlaskClient) -> str:
    response = client.get("/join/not-a-real-token")
    assert response.status_code == 404
    return response.get_data(as_text=True)


def test_the_emailed_link_opens_the_meeting_only_from_15_minutes_before_until_the_end(
    client: FlaskClient,
    factory: Factory,
    smtp: SMTPServer,
    frozen_time: time_machine.Coordinates,
) -> None:
    event = factory.event(starts_at_utc=STARTS, title="Staying safe online")
    factory.registration(event, email="ash@example.com")
    send_now()
    path = joining_path(smtp.wait_for(1)[0])

    frozen_time.move_to(STARTS - timedelta(minutes=16))
    early = check_page(client.get(path))
    assert text_of(early.find("h1")) == "It’s not time to join yet"
    assert "You can join from 5:45pm on Wednesday 2 December 2026" in text_of(early)
    assert "It is in your calendar if you accepted the invitation" in text_of(early)
    assert MEETING not in early.decode()

    frozen_time.move_to(STARTS - timedelta(minutes=15))
    page = check_page(client.get(path))
    assert text_of(page.find("h1")) == "Before you join"
    for advice in ("nickname", "camera and microphone off", "private browser window"):
        assert advice in text_of(page.find("main"))
    assert page.find("a", attrs={"data-quick-exit": True}) is not None
    (button,) = [a for a in page.find_all("a") if "Continue to the meeting" in text_of(a)]
    assert button["href"] == MEETING
    assert "noreferrer" in button["rel"]

    frozen_time.move_to(event.ends_at_utc)
    ended = client.get(path)
    assert ended.status_code == 404 and ended.get_data(as_text=True) == _unknown_page(client)


def test_a_forwarded_link_stops_working_when_the_booking_is_cancelled(
    client: FlaskClient,
    factory: Factory,
    smtp: SMTPServer,
    frozen_time: time_machine.Coordinates,
) -> None:
    event = factory.event(starts_at_utc=STARTS)
    registration = factory.registration(event, email="ash@example.com")
    send_now()
    forwarded = joining_path(smtp.wait_for(1)[0])
    frozen_time.move_to(STARTS - timedelta(minutes=5))
    assert client.get(forwarded).status_code == 200

    cancel_registration(registration=registration, now=datetime.now(UTC))
    db.session.commit()

    response = client.get(forwarded)
    assert response.status_code == 404
    assert response.get_data(as_text=True) == _unknown_page(client), "reveals nothing"
    page = check_page(response)
    assert text_of(page.find("h1")) == "This joining link does not work"
    assert event.title not in page.decode() and MEETING not in page.decode()


def test_every_booking_has_its_own_link_and_the_first_use_is_recorded_once(
    client: FlaskClient, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = factory.event(starts_at_utc=STARTS)
    ash = factory.registration(event)
    bo = factory.registration(event)
    assert join_url(ash) != join_url(bo)
    frozen_time.move_to(STARTS - timedelta(minutes=10))
    client.get(join_url(ash))
    first = datetime.now(UTC)
    frozen_time.move_to(STARTS)
    client.get(join_url(ash))

    db.session.expire_all()
    assert ash.join_first_used_at_utc == first
    assert bo.join_first_used_at_utc is None


def test_an_early_look_does_not_count_as_joining(
    client: FlaskClient, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = factory.event(starts_at_utc=STARTS, join_opens_minutes_before=30)
    ash = factory.registration(event)
    frozen_time.move_to(STARTS - timedelta(minutes=31))
    assert "not time to join" in client.get(join_url(ash)).get_data(as_text=True)
    frozen_time.move_to(STARTS - timedelta(minutes=30))
    assert "Before you join" in client.get(join_url(ash)).get_data(as_text=True)

    db.session.expire_all()
    assert ash.join_first_used_at_utc == STARTS - timedelta(minutes=30)


def test_a_discreet_booking_gets_neutral_joining_pages(
    client: FlaskClient, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = factory.event(
        starts_at_utc=STARTS, title="Stalking awareness", discreet_title="Online session"
    )
    quiet = factory.registration(event, discreet=True)
    for moment in (STARTS - timedelta(hours=1), STARTS):
        frozen_time.move_to(moment)
        page = check_page(client.get(join_url(quiet)))
        title = text_of(page.find("title"))
        assert "Online session" in text_of(page.find("main")) or title == "Before you join"
        seen = (title + " " + text_of(page.find("header"))).lower()
        for word in CAMPAIGN_WORDS:
            assert word not in seen, word


def test_in_person_events_and_waiting_places_have_no_working_link(
    client: FlaskClient, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    in_person = factory.event(
        starts_at_utc=STARTS, format=EventFormat.IN_PERSON, venue="Hall", joining_link=None
    )
    online = factory.event(starts_at_utc=STARTS, capacity=1, waiting_list_enabled=True)
    factory.registration(online)
    waiting = factory.registration(online)
    in_person_booking = factory.registration(in_person)
    frozen_time.move_to(STARTS)
    assert client.get(join_url(in_person_booking)).status_code == 404
    assert client.get(join_url(waiting)).status_code == 404
