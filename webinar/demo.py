"""This year's 16 Days of Action campaign as demo data that never goes stale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from webinar.extensions import db
from webinar.london_time import LONDON
from webinar.models import Event, EventFormat, EventStatus, RegistrationStatus, utc_now
from webinar.page_version import public_pages_changed
from webinar.registrations.records import new_registration

CAMPAIGN_START = (11, 25)
CAMPAIGN_END = (12, 10)
#: Show this year's campaign while at least this many of its days are still to come.
DAYS_LEFT_TO_SHOW_THIS_YEAR = 7


def campaign_year(today: date) -> int:
    """This year's campaign while enough of it is ahead, otherwise next year's."""
    last_day = date(today.year, *CAMPAIGN_END)
    if (last_day - today).days >= DAYS_LEFT_TO_SHOW_THIS_YEAR:
        return today.year
    return today.year + 1


def webinar_day(today: date, year: int) -> date:
    """The first Wednesday of the campaign that is still ahead (the article's day)."""
    day = max(date(year, *CAMPAIGN_START), today + timedelta(days=1))
    while day.weekday() != 2:
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    title: str
    summary: str
    description: str
    format: EventFormat
    day: date
    starts: time
    ends: time
    hosted_by: str
    capacity: int
    venue: str | None = None
    joining_link: str | None = None
    waiting_list: bool = False
    accepts_questions: bool = False
    accessibility: str = ""
    discreet_title: str = "Appointment"
    #: Made-up people, so a newcomer sees a full event and its waiting list.
    demo_booked: int = 0
    demo_waiting: int = 0


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=LONDON)


def demo_events(today: date) -> list[DemoEvent]:
    year = campaign_year(today)
    first = date(year, *CAMPAIGN_START)
    return [
        DemoEvent(
            slug=f"stalking-webinar-{year}",
            title="Live webinar: stalking, and the support available",
            summary="Officers from our Stalking Prevention & Intervention Unit (SPIU) and "
            "Victim Engagement Officers talk openly about stalking and the support available.",
            description="Join a live webinar with officers from the Stalking Prevention & "
            "Intervention Unit (SPIU) and our Victim Engagement Officers.\n\n"
            "The SPIU reviews every case where stalking is involved and makes sure victims "
            "get the right support throughout the investigation. The panel will explain what "
            "stalking is, how behaviours can escalate, how Stalking Protection Orders work, "
            "and what support is available.\n\n"
            "You can send a question for the panel when you register. You do not need to "
            "turn your camera or microphone on, and you can use a nickname.",
            format=EventFormat.ONLINE,
            day=webinar_day(today, year),
            starts=time(18, 0),
            ends=time(19, 30),
            hosted_by="Stalking Prevention & Intervention Unit (SPIU) and Victim Engagement "
            "Officers",
            capacity=500,
            # Neutral: people who asked for discreet messages get this link too.
            joining_link="https://meet.example.org/j/4821-7730",
            accepts_questions=True,
            accessibility="Live captions are provided. Tell us if you need a British Sign "
            "Language interpreter when you register.",
            discreet_title="Online session",
        ),
        DemoEvent(
            slug=f"launch-drop-in-{year}",
            title="16 Days of Action launch drop-in",
            summary="Meet officers and local support services at the start of the campaign.",
            description="Drop in at any time to meet officers from the domestic abuse "
            "team and local support services, pick up information and ask questions in "
            "confidence.",
            format=EventFormat.DROP_IN,
            day=first,
            starts=time(10, 0),
            ends=time(14, 0),
            hosted_by="Domestic Abuse Investigation Unit",
            capacity=200,
            venue="Central Library, Harpur Street, Bedford MK40 1PG",
            accessibility="Step-free access through the main entrance. Accessible toilets "
            "on the ground floor.",
        ),
        DemoEvent(
            slug=f"recognising-coercive-control-{year}",
            title="Recognising coercive control",
            summary="An online talk on spotting controlling behaviour and where to get help.",
            description="Coercive control is a pattern of behaviour that takes away a "
            "person’s freedom. This talk explains the signs, the law, and how friends, family "
            "and colleagues can help safely.",
            format=EventFormat.ONLINE,
            day=first + timedelta(days=8),
            starts=time(12, 30),
            ends=time(13, 15),
            hosted_by="Safeguarding team",
            capacity=300,
            joining_link="https://meet.example.org/j/5093-1184",
            accessibility="Live captions are provided.",
            discreet_title="Online session",
        ),
        DemoEvent(
            slug=f"workplace-champions-{year}",
            title="Domestic abuse champions at work: a workshop for employers",
            summary="A small in-person workshop for employers and HR teams.",
            description="How employers can recognise the signs of domestic abuse and "
            "stalking, respond safely when a colleague discloses, and support them at work. "
            "Places are limited so that everyone can take part.",
            format=EventFormat.IN_PERSON,
            day=first + timedelta(days=9),
            starts=time(9, 30),
            ends=time(12, 0),
            hosted_by="Partnerships team",
            capacity=12,
            venue="Police Headquarters, Woburn Road, Kempston, Bedford MK43 9AX",
            waiting_list=True,
            demo_booked=12,
            demo_waiting=2,
            accessibility="Step-free access and a hearing loop in the training room.",
        ),
        DemoEvent(
            slug=f"advice-drop-in-{year}",
            title="Drop-in: talk to a Victim Engagement Officer",
            summary="Come when you like for a private chat about stalking, harassment or "
            "domestic abuse, and the support available.",
            description="Victim Engagement Officers and local support services will be "
            "at the library all afternoon. Come for as long or as short as you like; you do "
            "not have to give your name, and there is a private room.",
            format=EventFormat.DROP_IN,
            day=first + timedelta(days=10),
            starts=time(13, 0),
            ends=time(16, 0),
            hosted_by="Victim Engagement Officers and local support services",
            capacity=60,
            venue="Leighton Buzzard Library, Lake Street, Leighton Buzzard LU7 1RX",
            accessibility="Step-free access. A private room is available.",
        ),
        DemoEvent(
            slug=f"community-safety-evening-{year}",
            title="Community safety evening",
            summary="In person in Luton, or join online: the campaign so far and what comes next.",
            description="Hear from Detective Superintendent Emma Pitts, who leads the "
            "force’s response to domestic abuse, and partners about the campaign so far, "
            "with time for questions.",
            format=EventFormat.HYBRID,
            day=first + timedelta(days=14),
            starts=time(18, 30),
            ends=time(20, 0),
            hosted_by="Domestic abuse lead and partners",
            capacity=80,
            venue="Luton Central Library, St George’s Square, Luton LU1 2NG",
            joining_link="https://meet.example.org/j/6617-2045",
            waiting_list=True,
            accessibility="Step-free access. Live captions for people joining online.",
        ),
    ]


def load_demo_data(*, today: date) -> int:
    """Add the campaign's events that are not there yet; returns how many were added."""
    added = 0
    for demo in demo_events(today):
        if db.session.scalar(select(Event.id).where(Event.slug == demo.slug)) is not None:
            continue
        db.session.add(
            Event(
                slug=demo.slug,
                title=demo.title,
                summary=demo.summary,
                description=demo.description,
                format=demo.format,
                status=EventStatus.PUBLISHED,
                starts_at_utc=_at(demo.day, demo.starts),
                ends_at_utc=_at(demo.day, demo.ends),
                venue=demo.venue,
                joining_link=demo.joining_link,
                accessibility_information=demo.accessibility,
                hosted_by=demo.hosted_by,
                capacity=demo.capacity,
                waiting_list_enabled=demo.waiting_list,
                accepts_questions=demo.accepts_questions,
                discreet_title=demo.discreet_title,
                places_taken=demo.demo_booked,
            )
        )
        _add_demo_people(demo)
        added += 1
    public_pages_changed()
    db.session.flush()
    return added


def _add_demo_people(demo: DemoEvent) -> None:
    """Bookings straight into the tables, with addresses that can never receive email."""
    event = db.session.scalars(select(Event).filter_by(slug=demo.slug)).one()
    people = [(RegistrationStatus.BOOKED, n) for n in range(1, demo.demo_booked + 1)]
    people += [(RegistrationStatus.WAITING, n) for n in range(1, demo.demo_waiting + 1)]
    for status, number in people:
        db.session.add(
            new_registration(
                event=event,
                name=f"Demo {status.value} {number}",
                email=f"demo-{status.value}-{number}@example.invalid",
                status=status,
                accessibility_needs=None,
                discreet=False,
                now=utc_now(),
            )
        )
