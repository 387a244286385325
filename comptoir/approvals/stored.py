"""An approval request's rules and facts as stored at submission, read back for the pure
rules module and for readers: who decides at which level, and why the order waits, told in
the reader's language (an approver may not read the requester's)."""

from decimal import Decimal

from comptoir.approvals import messages, rules

OVER_BUDGET = "over_budget"
REQUESTER = "requester"
BUILT_IN_NAMES = {
    OVER_BUDGET: messages.over_budget_rule_name,
    REQUESTER: messages.requester_rule_name,
}
"""The rules checkout adds on its own (approvals/checkout.py), named in the reader's language;
a stored rule says which it is under `built_in`."""


def rule_json(rule: rules.Rule, built_in: str | None = None) -> dict:
    return {
        "id": rule.id,
        "built_in": built_in,
        "name": rule.name,
        "level": rule.level,
        "approver_roles": sorted(rule.approver_roles),
        "approver_ids": sorted(rule.approver_ids),
        "conditions": [
            {
                "kind": condition.kind,
                "values": sorted(condition.values),
                "amount": str(condition.amount) if condition.amount is not None else None,
            }
            for condition in rule.conditions
        ],
    }


def facts_json(facts: rules.OrderFacts) -> dict:
    return {
        "total": str(facts.total),
        "skus": sorted(facts.skus),
        "categories": sorted(facts.categories),
        "payment_method": facts.payment_method,
        "shipping_method": facts.shipping_method,
        "requester_id": facts.requester_id,
        "requester_role": facts.requester_role,
        "location": facts.location,
        "budget_exceeded": facts.budget_exceeded,
    }


def stored_rule(entry: dict) -> rules.Rule:
    return rules.Rule(
        id=entry["id"],
        name=entry["name"],
        level=entry["level"],
        conditions=tuple(
            rules.Condition(
                kind=condition["kind"],
                values=frozenset(condition["values"]),
                amount=Decimal(condition["amount"]) if condition["amount"] is not None else None,
            )
            for condition in entry.get("conditions", ())
        ),
        approver_roles=frozenset(entry["approver_roles"]),
        approver_ids=frozenset(entry["approver_ids"]),
    )


def stored_facts(approval) -> rules.OrderFacts:
    facts = approval.facts
    return rules.OrderFacts(
        total=Decimal(facts["total"]),
        skus=frozenset(facts["skus"]),
        categories=frozenset(facts["categories"]),
        payment_method=facts["payment_method"],
        shipping_method=facts["shipping_method"],
        requester_id=facts["requester_id"],
        requester_role=facts["requester_role"],
        location=facts["location"],
        budget_exceeded=facts["budget_exceeded"],
    )


def stored_levels(approval) -> list[rules.Level]:
    """The levels the request waits for: the rules it matched when submitted, not asked
    again, so it keeps waiting for them whatever changed in the company's rules since."""
    return rules.levels_of([stored_rule(entry) for entry in approval.rules])


def rule_name(entry: dict) -> str:
    named = BUILT_IN_NAMES.get(entry.get("built_in"))
    return named() if named else entry["name"]


def rule_views(approval, sees_prices: bool = True) -> list[dict]:
    """Each stored rule with its name and reasons in the active language, and whether it is
    approved yet."""
    facts = stored_facts(approval)
    approved = set(approval.approved_rules)
    return [
        {
            "id": rule.id,
            "name": rule_name(entry),
            "level": rule.level,
            "approver_roles": sorted(rule.approver_roles),
            "approver_ids": sorted(rule.approver_ids),
            "reasons": messages.rule_reasons(rule, facts, approval.currency, sees_prices),
            "approved": rule.id in approved,
        }
        for entry, rule in zip(approval.rules, map(stored_rule, approval.rules), strict=True)
    ]
