"""Questions the organisers add to an event's registration form, and people's answers."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webinar.extensions import Base
from webinar.models.types import UTCDateTime, enum_column, utc_now


class AnswerKind(enum.StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    YES_NO = "yes_no"

    @property
    def label(self) -> str:
        return {"text": "Short text", "choice": "One choice from a list", "yes_no": "Yes or no"}[
            self.value
        ]


class FormQuestion(Base):
    """One question on an event's form; hidden, never removed, once anyone has answered."""

    __tablename__ = "form_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(200))
    kind: Mapped[AnswerKind] = mapped_column(enum_column(AnswerKind, "answer_kind"))
    #: For a choice: one option per line.
    choices: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    hidden: Mapped[bool] = mapped_column(default=False)
    created_at_utc: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    @property
    def options(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class FormAnswer(Base):
    """A person's answer: deleted with their booking (the foreign key cascades) and by
    the retention purge."""

    __tablename__ = "form_answer"
    __table_args__ = (
        Index(
            "uq_form_answer_registration_question", "registration_id", "question_id", unique=True
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("form_question.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(Text)
