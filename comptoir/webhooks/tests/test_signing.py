"""Signatures as the Standard Webhooks specification defines them, checked against the test
vector its reference libraries publish (libraries/python/tests/test_webhooks.py,
`test_sign_function`, in the standard-webhooks repository)."""

import datetime
import re

from standardwebhooks.webhooks import Webhook

from comptoir.webhooks.signing import new_event_id, new_secret, signed_headers

SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_PAYLOAD = '{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_headers_carry_the_specifications_signature_for_its_test_vector():
    at = datetime.datetime.fromtimestamp(SPEC_TIMESTAMP, tz=datetime.UTC)
    headers = signed_headers(secret=SPEC_SECRET, msg_id=SPEC_MSG_ID, body=SPEC_PAYLOAD, at=at)
    assert headers == {
        "webhook-id": SPEC_MSG_ID,
        "webhook-timestamp": "1614265330",
        "webhook-signature": SPEC_SIGNATURE,
    }


def test_a_time_in_another_zone_signs_the_same_instant():
    paris = datetime.timezone(datetime.timedelta(hours=1))
    at = datetime.datetime.fromtimestamp(SPEC_TIMESTAMP, tz=paris)
    headers = signed_headers(secret=SPEC_SECRET, msg_id=SPEC_MSG_ID, body=SPEC_PAYLOAD, at=at)
    assert headers["webhook-signature"] == SPEC_SIGNATURE


def test_a_fresh_signature_verifies_with_the_reference_library_and_a_changed_body_does_not():
    secret = new_secret()
    body = '{"id":"evt_1","type":"order.placed"}'
    now = datetime.datetime.now(tz=datetime.UTC)
    headers = signed_headers(secret=secret, msg_id="evt_1", body=body, at=now)
    assert Webhook(secret).verify(body, headers) == {"id": "evt_1", "type": "order.placed"}
    try:
        Webhook(secret).verify(body.replace("placed", "cancelled"), headers)
    except Exception as refused:
        assert type(refused).__name__ == "WebhookVerificationError"
    else:
        raise AssertionError("a changed body verified")


def test_secrets_are_whsec_and_24_random_bytes():
    secret = new_secret()
    assert re.fullmatch(r"whsec_[A-Za-z0-9+/]{32}", secret)
    assert new_secret() != secret


def test_event_ids_are_ulids_that_sort_by_time():
    earlier = new_event_id(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC))
    later = new_event_id(datetime.datetime(2026, 3, 2, 9, 0, 1, tzinfo=datetime.UTC))
    assert re.fullmatch(r"evt_[0-9A-HJKMNP-TV-Z]{26}", earlier)
    # 1772442000000 ms since 1970 in 10 Crockford base32 digits.
    assert earlier[:14] == "evt_01KJPWD6M0"
    assert earlier < later
