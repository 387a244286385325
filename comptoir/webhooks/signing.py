"""Identifiers, secrets and signatures of the Standard Webhooks specification
(standardwebhooks.com), signed with its reference `standardwebhooks` package.

An event id is `evt_` and a ULID (time-ordered, 26 characters of Crockford base32): the
same for every attempt and replay of the event, so receivers deduplicate on it. A secret is
`whsec_` and 24 random bytes in base64, as the specification's libraries read it.
"""

import base64
import datetime
import os
import secrets

from standardwebhooks.webhooks import Webhook

EVENT_PREFIX = "evt_"
SECRET_PREFIX = "whsec_"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_event_id(now: datetime.datetime) -> str:
    """`evt_` + a ULID: 48 bits of milliseconds since 1970, then 80 random bits."""
    value = (int(now.timestamp() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    digits = []
    for _position in range(26):
        value, digit = divmod(value, 32)
        digits.append(_CROCKFORD[digit])
    return EVENT_PREFIX + "".join(reversed(digits))


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def signed_headers(*, secret: str, msg_id: str, body: str, at: datetime.datetime) -> dict:
    """The three headers of the specification for `body` sent at `at` (aware)."""
    at = at.astimezone(datetime.UTC)
    signature = Webhook(secret).sign(msg_id=msg_id, timestamp=at, data=body)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }
