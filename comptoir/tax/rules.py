"""Pure rules of tax-exemption certificates (no ORM, no request): default expiry, the
document types accepted, and which expiry reminder is due on a day."""

import datetime
from dataclasses import dataclass

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # 10 MB


@dataclass(frozen=True)
class DocumentType:
    content_type: str
    extension: str


# Recognised by their first bytes (magic numbers), never by a file name or a browser's word.
DOCUMENT_SIGNATURES = (
    (b"%PDF-", DocumentType("application/pdf", ".pdf")),
    (b"\x89PNG\r\n\x1a\n", DocumentType("image/png", ".png")),
    (b"\xff\xd8\xff", DocumentType("image/jpeg", ".jpg")),
)
SNIFF_BYTES = max(len(signature) for signature, _type in DOCUMENT_SIGNATURES)


def document_type(head: bytes) -> DocumentType | None:
    """The type of a document from its first `SNIFF_BYTES` bytes: PDF, PNG, JPEG, or None."""
    for signature, kind in DOCUMENT_SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def default_expiry(issued_on: datetime.date) -> datetime.date:
    """One year after issue; 29 February falls back to 28 February."""
    try:
        return issued_on.replace(year=issued_on.year + 1)
    except ValueError:
        return issued_on.replace(year=issued_on.year + 1, day=28)


def reminder_due(
    *,
    day: datetime.date,
    expires_on: datetime.date,
    reminded_30_days_on: datetime.date | None,
    reminded_7_days_on: datetime.date | None,
) -> int | None:
    """The reminder (30 or 7 days) due on `day` for a certificate valid until `expires_on`
    (its last day included), or None.

    A reminder counts as sent only if it went out inside its window for this expiry date,
    so a missed day is caught up the next day, a second run the same day sends nothing,
    and a certificate whose expiry date moved gets reminded again. Within 7 days only the
    7-day reminder goes out, even if the 30-day one never did.
    """
    days_left = (expires_on - day).days
    if not 0 <= days_left <= 30:
        return None
    window, sent_on = (7, reminded_7_days_on) if days_left <= 7 else (30, reminded_30_days_on)
    if sent_on is not None and sent_on >= expires_on - datetime.timedelta(days=window):
        return None
    return window
