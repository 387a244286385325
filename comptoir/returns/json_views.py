"""A return as the API shows it (`GET /returns`, `GET /returns/{number}`) and as the
`return.*` webhook events carry it (webhooks/payloads.py): one shape for both."""

from comptoir.returns.models import ReturnRequest


def summary_json(found: ReturnRequest) -> dict:
    return {
        "number": found.number,
        "order": found.order_number,
        "state": found.state,
        "reason": found.reason,
        "requested_at": found.requested_at.isoformat(),
    }


def return_json(found: ReturnRequest) -> dict:
    found.order_number = found.order.number
    return {
        **summary_json(found),
        "comment": found.comment,
        "decision": found.decision,
        "restocked": found.restocked,
        "has_photo": bool(found.photo),
        "credit_note": found.credit_note.number if found.credit_note else None,
        "lines": [
            {"sku": line.sku, "name": line.name, "quantity": line.quantity}
            for line in found.lines.all()
        ],
        "events": [
            {"at": event.at.isoformat(), "state": event.to_state, "message": event.message}
            for event in found.events.all()
        ],
    }
