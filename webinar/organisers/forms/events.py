"""Creating and editing an event; times are entered in UK time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional

from webinar.models import Event, EventFormat
from webinar.organisers.forms.event_checks import (
    check_end_after_start,
    check_ends_in_future,
    check_place,
    check_registration_order,
    check_registration_pairs,
    check_times_exist,
)
from webinar.organisers.forms.fields import (
    HttpsOnly,
    RequiredDate,
    UKDateField,
    UKTime,
    WholeNumberField,
    london_to_utc,
    parse_time,
    utc_to_london_parts,
)
from webinar.organisers.services.events import EventDetails
from webinar.validators import PlainText, strip_whitespace
from webinar.widgets import CheckboxInput, RadioInput

PLAIN = "{} must only include letters, numbers, spaces and punctuation"


def _text(label: str, name: str, maximum: int, *, required: bool = True, **kwargs: Any) -> Field:
    first = InputRequired(message=f"Enter {name}") if required else Optional()
    multiline = kwargs.pop("multiline", False)
    field_class = TextAreaField if multiline else StringField
    return field_class(
        label,
        widget=GovTextArea() if multiline else GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            first,
            Length(max=maximum, message=f"{label} must be {maximum} characters or fewer"),
            PlainText(PLAIN.format(label), multiline=multiline),
        ],
        **kwargs,
    )


def _time(label: str, name: str, *, required: bool = True) -> StringField:
    first = InputRequired(message=f"Enter {name}") if required else Optional()
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[strip_whitespace],
        description="UK time, for example 6pm or 18:30",
        validators=[first, UKTime(f"Enter {name} in the correct format, like 6pm or 18:30")],
    )


class EventForm(FlaskForm):
    title = _text("Title", "a title", 200)
    summary = _text("Summary", "a summary", 300, description="One sentence for the list of events.")
    description = _text("Description", "a description", 5000, multiline=True)
    format = RadioField(
        "Format",
        widget=RadioInput(),
        choices=[SelectChoice(choice.value, choice.label) for choice in EventFormat],
        invalid_choice_message="Select the event’s format",
        validators=[InputRequired(message="Select the event’s format")],
    )
    date = UKDateField(
        "Date",
        name_in_errors="Date of the event",
        description="For example, 2 12 2026",
        validators=[RequiredDate("Enter the date of the event")],
    )
    start_time = _time("Start time", "the start time")
    end_time = _time("End time", "the end time")
    venue = _text("Venue (for events in person)", "the venue", 1000, required=False, multiline=True)
    joining_link = StringField(
        "Joining link (for online events)",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        description="Never shown on the public pages or sent in emails: each person booked "
        "gets their own joining link, which opens this one around the start time. You can "
        "change it at any time without anyone’s link changing. Use a link that does not "
        "name the campaign.",
        validators=[
            Optional(),
            Length(max=500, message="Joining link must be 500 characters or fewer"),
            URL(message="Enter a joining link in the correct format, like https://example.com"),
            HttpsOnly("Enter a joining link that starts with https://"),
        ],
    )
    join_opens_minutes_before = WholeNumberField(
        "Minutes before the start that joining links open (for online events)",
        widget=GovTextInput(),
        message="Minutes before the start must be a whole number, like 15",
        description="Each person’s own joining link opens the meeting from this many minutes "
        "before the start until the end. Leave blank for 15.",
        validators=[
            Optional(),
            NumberRange(min=0, max=240, message="Minutes before the start must be 240 or fewer"),
        ],
    )
    hosted_by = _text("Run by", "who runs the event", 200)
    capacity = WholeNumberField(
        "Number of places",
        widget=GovTextInput(),
        message="Number of places must be a whole number, like 50",
        validators=[
            InputRequired(message="Enter the number of places"),
            NumberRange(min=1, max=100000, message="Number of places must be between 1 and 100000"),
        ],
    )
    waiting_list_enabled = BooleanField("Offer a waiting list when full", widget=CheckboxInput())
    accepts_questions = BooleanField(
        "Ask people for questions for the panel", widget=CheckboxInput()
    )
    opens_date = UKDateField(
        "Registration opens (optional)",
        name_in_errors="Date registration opens",
        description="Leave blank to open registration when the event is published.",
    )
    opens_time = _time("Time registration opens", "the time registration opens", required=False)
    closes_date = UKDateField(
        "Registration closes (optional)",
        name_in_errors="Date registration closes",
        description="Leave blank to close registration when the event starts.",
    )
    closes_time = _time("Time registration closes", "the time registration closes", required=False)
    accessibility_information = _text(
        "Accessibility information",
        "accessibility information",
        2000,
        multiline=True,
        required=False,
    )
    discreet_title = _text(
        "Discreet calendar title",
        "a discreet calendar title",
        100,
        description="Used instead of the title for people who ask for discreet messages, "
        "for example Appointment.",
    )
    submit = SubmitField("Save event", widget=GovSubmitInput())

    def __init__(
        self, *args: Any, now: datetime, existing_event: Event | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        #: When the answers are checked, and the event they change (None for a new one).
        self.now = now
        self.existing_event = existing_event

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        # Only whole, real UK times can be converted to UTC for the checks that follow.
        if not (valid and check_registration_pairs(self) and check_times_exist(self)):
            return False
        details = self.details()
        checks = [
            check_end_after_start,
            check_place,
            check_registration_order,
            check_ends_in_future,
        ]
        return all([check(self, details) for check in checks])

    def details(self) -> EventDetails:
        """The validated answers, with times converted from UK time to UTC."""
        return EventDetails(
            title=self.title.data or "",
            summary=self.summary.data or "",
            description=self.description.data or "",
            format=EventFormat(self.format.data),
            starts_at_utc=_required_instant(self.date.data, self.start_time.data),
            ends_at_utc=_required_instant(self.date.data, self.end_time.data),
            venue=self.venue.data or None,
            joining_link=self.joining_link.data or None,
            hosted_by=self.hosted_by.data or "",
            capacity=int(self.capacity.data or 0),
            waiting_list_enabled=bool(self.waiting_list_enabled.data),
            accepts_questions=bool(self.accepts_questions.data),
            registration_opens_at_utc=_optional_instant(self.opens_date.data, self.opens_time.data),
            registration_closes_at_utc=_optional_instant(
                self.closes_date.data, self.closes_time.data
            ),
            accessibility_information=self.accessibility_information.data or "",
            discreet_title=self.discreet_title.data or "",
            join_opens_minutes_before=_minutes_or_default(self.join_opens_minutes_before.data),
        )


def _minutes_or_default(value: Any) -> int:
    return 15 if value is None or value == "" else int(value)


def _required_instant(day: Any, text: str | None) -> datetime:
    instant = _optional_instant(day, text)
    if instant is None:  # only called once the form has validated
        raise ValueError("A validated form always has a date and time")
    return instant


def _optional_instant(day: Any, text: str | None) -> datetime | None:
    at = parse_time(text)
    return london_to_utc(day, at) if day and at else None


def form_data_for(event: Event) -> dict[str, Any]:
    """An event's answers as the form shows them, in UK time."""
    day, start = utc_to_london_parts(event.starts_at_utc)
    _, end = utc_to_london_parts(event.ends_at_utc)
    opens_date, opens_time = utc_to_london_parts(event.registration_opens_at_utc)
    closes_date, closes_time = utc_to_london_parts(event.registration_closes_at_utc)
    fields = EventDetails.__dataclass_fields__
    values = {name: getattr(event, name) for name in fields if hasattr(EventForm, name)}
    values.update(
        format=event.format.value,
        date=day,
        start_time=start,
        end_time=end,
        opens_date=opens_date,
        opens_time=opens_time,
        closes_date=closes_date,
        closes_time=closes_time,
    )
    return values
