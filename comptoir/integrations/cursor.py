"""Where an integration's sync stopped (issue 19), pure: an opaque cursor over (updated_at, id).

Rows are read in (updated_at, id) order, so rows changed in the same instant are told apart
by their id and none is skipped or repeated at a page boundary. The cursor is that pair for
the last row returned, as base64 of a small JSON object: clients keep it and send it back,
they never build one. A cursor that does not decode is bad input, never a server error.
"""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass


class BadCursor(ValueError):
    pass


MAX_ID = 2**63 - 1
"""The largest id a database column holds: a larger one would fail in the query."""


@dataclass(frozen=True)
class Position:
    """After this row: changed at `at`, or at `at` with a larger id."""

    at: datetime.datetime
    id: int


BEGINNING = Position(at=datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC), id=0)
"""Where a sync that has seen nothing yet resumes."""


def encode(position: Position) -> str:
    text = json.dumps({"t": position.at.isoformat(), "id": position.id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor: str) -> Position:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        at = datetime.datetime.fromisoformat(data["t"])
        row_id = data["id"]
    except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error):
        raise BadCursor(cursor) from None
    if not isinstance(row_id, int) or isinstance(row_id, bool) or not 0 <= row_id <= MAX_ID:
        raise BadCursor(cursor)
    return Position(at=_utc(at, cursor), id=row_id)


def _utc(value: datetime.datetime, text: str) -> datetime.datetime:
    """The same instant in UTC; a time without an offset, or one that has no UTC
    equivalent (the first hours of year 1 east of Greenwich), is refused."""
    if value.tzinfo is None:
        raise BadCursor(text)
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:
        raise BadCursor(text) from None


def parse_since(text: str) -> datetime.datetime:
    """`updated_since`: an ISO 8601 date-time with its offset (2026-12-07T09:30:00+01:00 or
    ...Z); a date alone means its midnight UTC."""
    try:
        value = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadCursor(text) from None
    if value.tzinfo is None and len(text.strip()) <= 10:
        value = value.replace(tzinfo=datetime.UTC)
    return _utc(value, text)


def start(*, cursor: str | None, updated_since: str | None) -> Position | None:
    """Where a page starts: after the cursor; else at `updated_since` (inclusive); else at
    the beginning. The cursor wins when both are sent."""
    if cursor:
        return decode(cursor)
    if updated_since:
        return Position(at=parse_since(updated_since), id=0)
    return None
