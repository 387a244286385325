"""What the webhook outbox decides, as pure functions: when a failed delivery is tried again,
when it is given up, which endpoint wants which event, whether an endpoint's URL is acceptable,
and which deliveries may leave now without overtaking an earlier event of the same resource.

Retries back off exponentially: 30 s after the first failure, then twice as long each time
(1 min, 2 min, 4 min, ...), never more than 6 hours apart, for 3 days counted from the first
attempt; the last try falls on the 3-day mark exactly, and a failure then gives up (the
endpoint is disabled and the merchant told). A receiver down for an hour gets its events
about 64 minutes after the first try; one down for a day gets them within 6 hours of its
return.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

FIRST_DELAY = datetime.timedelta(seconds=30)
MAX_DELAY = datetime.timedelta(hours=6)
GIVE_UP_AFTER = datetime.timedelta(days=3)
# How long a claimed delivery is left to its worker before it counts as lost (a worker killed
# mid-send): then it is due again, and sent again. Longer than any request may take.
LEASE = datetime.timedelta(minutes=2)


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after the `attempts`-th failed attempt (1 = the first one)."""
    if attempts < 1:
        raise ValueError("attempts counts from 1")
    # 30 s × 2^(n-1) passes 6 h at n = 11: capped before the power grows large.
    return min(FIRST_DELAY * 2 ** min(attempts - 1, 16), MAX_DELAY)


def next_attempt_at(
    *, attempts: int, started_at: datetime.datetime, now: datetime.datetime
) -> datetime.datetime | None:
    """When to try again after the `attempts`-th failure at `now`, the first attempt having
    been at `started_at`; None: the 3 days are over, give up."""
    deadline = started_at + GIVE_UP_AFTER
    if now >= deadline:
        return None
    return min(now + retry_delay(attempts), deadline)


def wants(event_types: Iterable[str], event_type: str) -> bool:
    """Whether an endpoint subscribed to `event_types` is sent `event_type` (an empty
    subscription wants nothing: the merchant ticks what the ERP handles)."""
    return event_type in set(event_types)


@dataclass(frozen=True)
class Queued:
    """A delivery not delivered yet (waiting, or given up), as far as ordering is concerned.
    `due`: waiting and its time has come."""

    id: int
    endpoint_id: int
    resource: tuple[str, str]
    sequence: int
    due: bool


def sendable(queued: Iterable[Queued]) -> list[int]:
    """The deliveries that may leave now: per endpoint and resource, only the one of the
    earliest event, when it is due. A later event of a resource never overtakes an earlier
    one that its endpoint has not received (even one given up: it is replayed first), so a
    receiver sees each resource's events in order."""
    heads: dict[tuple[int, tuple[str, str]], Queued] = {}
    for item in queued:
        key = (item.endpoint_id, item.resource)
        if key not in heads or item.sequence < heads[key].sequence:
            heads[key] = item
    return sorted(item.id for item in heads.values() if item.due)


def delivered(status_code: int | None) -> bool:
    """Any 2xx answer delivers; redirects, errors and no answer at all do not."""
    return status_code is not None and 200 <= status_code < 300


def url_problem(url: str, *, allow_http: bool) -> str | None:
    """Why `url` cannot receive webhooks, as a stable code, or None.

    http and https only (plain http only where the settings allow it: not in production by
    default), a host, and no user name or password in it (they would be shown in the back
    office and sent to the receiver's logs).
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "url_invalid"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "url_invalid"
    if parts.username is not None or parts.password is not None:
        return "url_credentials"
    if parts.scheme == "http" and not allow_http:
        return "url_not_https"
    return None
