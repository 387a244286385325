"""Budgets and approval rules at checkout (DESIGN.md "Team buying"): after the order rules,
before payment, credit and stock.

`checkout_gate` is asked by the cart (to show what a budget leaves and who will approve) and
by placement (to refuse an order over a refusing budget, or to send it for approval);
`approval_submit` writes the request in placement's transaction, the company row locked, so
that two buyers of one budget are counted one after the other.
"""

import datetime
from dataclasses import dataclass, replace

from django.utils import timezone

from comptoir.accounts.access import Viewer
from comptoir.accounts.permissions import APPROVE_ORDERS, REQUESTER
from comptoir.accounts.selectors import roles_with
from comptoir.approvals import messages, rules, stored
from comptoir.approvals.models import (
    ApprovalAction,
    ApprovalCounter,
    ApprovalEvent,
    ApprovalLine,
    ApprovalRequest,
)
from comptoir.approvals.selectors import (
    BudgetStanding,
    active_rules,
    budget_standings,
    company_deciders,
    rule_approvers,
)
from comptoir.approvals.stored import facts_json, rule_json
from comptoir.core.errors import BusinessRuleError
from comptoir.core.money import format_decimal
from comptoir.core.numbering import next_document_number
from comptoir.core.selectors import store_today
from comptoir.pricing.selectors import category_ancestors
from comptoir.webhooks import events
from comptoir.webhooks.models import EventType

APPROVAL_PREFIX = "APR"


@dataclass(frozen=True)
class WaitingRule:
    """A rule the order matches, with why and who may approve it."""

    rule: rules.Rule
    reasons: list[str]
    approvers: list

    @property
    def approver_names(self) -> list[str]:
        return [user.get_full_name() or user.email for user in self.approvers]


@dataclass(frozen=True)
class Gate:
    budgets: list[BudgetStanding]
    levels: list[rules.Level]
    facts: rules.OrderFacts | None
    waiting: list[WaitingRule]

    @property
    def refusal(self) -> BudgetStanding | None:
        return next((s for s in self.budgets if s.refuses), None)

    @property
    def needs_approval(self) -> bool:
        return bool(self.levels)


def order_facts(viewer: Viewer, quote, *, location, payment_code: str, shipping_code: str):
    ancestors = category_ancestors()
    return rules.OrderFacts(
        total=quote.total,
        skus=frozenset(line.product.sku for line in quote.lines),
        categories=frozenset(
            code for line in quote.lines for code in ancestors.get(line.product.category_id, ())
        ),
        payment_method=payment_code,
        shipping_method=shipping_code,
        requester_id=viewer.user.pk,
        requester_role=viewer.user.role,
        location=location.code if location is not None else None,
    )


def checkout_gate(
    viewer: Viewer, quote, *, location, payment_code: str | None, shipping_code: str | None
) -> Gate:
    """The budgets that bind this cart and the approval levels it needs; nothing is written."""
    company, store = viewer.company, viewer.store
    if company is None or viewer.user is None:
        return Gate([], [], None, [])
    standings = budget_standings(
        company=company,
        location=location,
        user=viewer.user,
        total=quote.total,
        today=store_today(store),
        time_zone=store.time_zone,
    )
    facts = order_facts(
        viewer,
        quote,
        location=location,
        payment_code=payment_code or "",
        shipping_code=shipping_code or "",
    )
    facts = replace(facts, budget_exceeded=any(s.sends_to_approval for s in standings))
    company_rules = active_rules(company)
    built_in = facts.budget_exceeded or facts.requester_role == REQUESTER
    approving_roles = roles_with(APPROVE_ORDERS) if company_rules or built_in else ()
    if built_in:
        company_rules += built_in_rules(company_rules, approving_roles)
    levels = rules.approval_levels(company_rules, facts)
    deciders = company_deciders(company, location, approving_roles) if levels else []
    waiting = [
        WaitingRule(
            rule=rule,
            reasons=messages.rule_reasons(rule, facts, quote.currency),
            approvers=rule_approvers(rule, deciders, excluding=viewer.user.pk),
        )
        for level in levels
        for rule in level.rules
    ]
    return Gate(standings, levels, facts, waiting)


OVER_BUDGET_RULE_ID = 0
REQUESTER_RULE_ID = -1
"""The ids of the rules checkout adds on its own (stored rules' ids start at 1)."""
BUILT_IN_IDS = {OVER_BUDGET_RULE_ID: stored.OVER_BUDGET, REQUESTER_RULE_ID: stored.REQUESTER}


def built_in_rules(company_rules: list[rules.Rule], approving_roles) -> list[rules.Rule]:
    """What a budget or a role promises must reach an approver even where the company wrote
    no rule for it: an order over a budget that sends to approval, and every order of a user
    of the built-in role "requester", wait for the users who may approve orders, at level 1.
    A company rule on that condition (`budget_exceeded`, `requester_role` "requester")
    replaces the built-in one, so the company decides who approves and at which level."""
    written = {
        (condition.kind, value)
        for rule in company_rules
        for condition in rule.conditions
        for value in (condition.values or {""})
    }
    added = []
    if not any(kind == rules.BUDGET_EXCEEDED for kind, _value in written):
        added.append(
            rules.Rule(
                id=OVER_BUDGET_RULE_ID,
                name=messages.over_budget_rule_name(),
                level=1,
                conditions=(rules.Condition(rules.BUDGET_EXCEEDED),),
                approver_roles=approving_roles,
            )
        )
    if (rules.REQUESTER_ROLE, REQUESTER) not in written:
        added.append(
            rules.Rule(
                id=REQUESTER_RULE_ID,
                name=messages.requester_rule_name(),
                level=1,
                conditions=(rules.Condition(rules.REQUESTER_ROLE, values=frozenset({REQUESTER})),),
                approver_roles=approving_roles,
            )
        )
    return added


def refuse_over_budget(gate: Gate, currency: str) -> None:
    standing = gate.refusal
    if standing is not None:
        raise BusinessRuleError(
            "budget_exceeded",
            messages.budget_refusal(standing, messages.plain_amount(currency)),
            [
                {
                    "field": "cart",
                    "code": "budget_exceeded",
                    "message": messages.budget_refusal(standing, messages.plain_amount(currency)),
                }
            ],
        )


def approval_submit(*, viewer: Viewer, quote, request, payment, site, gate: Gate, from_quote=None):
    """Write the approval request: the cart's snapshot and the rules it waits for, and the
    accepted quote it orders, if any (ordered once approved)."""
    store = viewer.store
    today = store_today(store)
    now = timezone.now()
    approval = ApprovalRequest.objects.create(
        number=next_approval_number(today.year),
        company=viewer.company,
        requester=viewer.user,
        entered_by=viewer.staff,
        location=site.location,
        quote=from_quote,
        submitted_at=now,
        valid_until=today + datetime.timedelta(days=store.approval_valid_days),
        rules=[
            rule_json(waiting.rule, BUILT_IN_IDS.get(waiting.rule.id)) for waiting in gate.waiting
        ],
        facts=facts_json(gate.facts),
        budget_exceeded=gate.facts.budget_exceeded,
        currency=quote.currency,
        customer_group_code=viewer.group.code,
        po_number=request.po_number.strip(),
        comment=request.comment.strip(),
        payment_method_code=payment.code,
        payment_method_name=payment.name,
        shipping_method_code=quote.shipping.code,
        shipping_method_name=quote.shipping.name,
        shipping_address=quote.destination.as_dict(),
        subtotal=quote.subtotal,
        discount_total=quote.discount_total,
        shipping_total=quote.shipping_total,
        tax_total=quote.tax_total,
        total=quote.total,
        tax_lines=[
            {
                "rate": format_decimal(tax.rate),
                "base": format_decimal(tax.base),
                "amount": format_decimal(tax.amount),
                "reason": tax.reason or "",
            }
            for tax in quote.tax_lines
        ],
    )
    ApprovalLine.objects.bulk_create(
        ApprovalLine(
            request=approval,
            position=position,
            product=line.product,
            sku=line.product.sku,
            name=line.product.name,
            quantity=line.quantity,
            packaging=line.packaging,
            unit_price=line.unit_price,
            gross=line.gross,
            promotion_percent=line.promotion_percent,
            promotion_amount=line.promotion,
            volume_percent=line.volume_percent,
            volume_amount=line.volume,
            net=line.net,
            tax_rate=line.tax_rate,
            explanation=[step.as_snapshot() for step in line.steps],
        )
        for position, line in enumerate(quote.lines, start=1)
    )
    ApprovalEvent.objects.create(
        request=approval,
        at=now,
        actor=viewer.user,
        staff=viewer.staff,
        action=ApprovalAction.SUBMITTED,
        level=gate.levels[0].number,
    )
    events.approval_changed(approval, EventType.APPROVAL_REQUESTED)
    return approval


def next_approval_number(year: int) -> str:
    """APR-<year>-<6 digits>, gap-free as order numbers are (core/numbering.py)."""
    return next_document_number(
        counter=ApprovalCounter, numbered=ApprovalRequest, prefix=APPROVAL_PREFIX, year=year
    )
