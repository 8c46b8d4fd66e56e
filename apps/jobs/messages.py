"""Event messages that render in each viewer's language (issue 17).

An event stores its message in English (the wire shape of events is fixed) and, when the body
used `event_message()`, the msgid and its parameters in `data["i18n"]`, so the page translates
the same stored event into Chinese for one viewer and English for another.
"""
from __future__ import annotations

from typing import Any, Self


class EventMessage(str):
    """The English text of a message, carrying its msgid and parameters for translation."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: dict[str, Any]) -> Self:
        text = super().__new__(cls, msgid % params if params else msgid)
        text.msgid, text.params = msgid, params
        return text

    @property
    def i18n(self) -> dict[str, Any]:
        """What goes into the event's `data["i18n"]`."""
        return {"msgid": self.msgid, "params": self.params}


def event_message(msgid: str, **params: Any) -> EventMessage:
    """Mark a job's stage/progress/log message for translation (makemessages finds `event_message("…")`).

    Parameters must be JSON values; they are shown as they are (names, numbers, codes).
    """
    return EventMessage(msgid, {name: _plain(value) for name, value in params.items()})


def with_i18n(message: str | None, data: dict[str, Any]) -> dict[str, Any]:
    """The event's data with the message's translation key added (unchanged for a plain string)."""
    if isinstance(message, EventMessage) and "i18n" not in data:
        return {**data, "i18n": message.i18n}
    return data


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)
