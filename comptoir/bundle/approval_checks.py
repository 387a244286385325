"""Bundle checks of approvals (issue 16): companies' rules and budgets, approval requests.

Rules and budgets are judged by `approvals.validation`, the check of the back office and of
the companies' own pages, with what the bundle defines added to what the database holds; the
values it cleans (codes as the store spells them) are what the loader writes.
"""

from dataclasses import dataclass, field, replace

from comptoir.approvals import validation
from comptoir.approvals.models import ApprovalRequest
from comptoir.bundle import schema, team_checks
from comptoir.catalog.models import Product
from comptoir.catalog.selectors import with_skus
from comptoir.customers.models import Location
from comptoir.customers.services import MAIN_LOCATION
from comptoir.ordering.models import Order
from comptoir.payments.models import PaymentMethod, ShippingMethod
from comptoir.quotes.models import Quote


@dataclass
class CompanyApprovals:
    """A company's rules and budgets as checked and cleaned; users named by e-mail."""

    rules: list[validation.RuleInput] | None = None
    budgets: list[validation.BudgetInput] | None = None


@dataclass
class ApprovalIndex:
    companies: dict[str, CompanyApprovals] = field(default_factory=dict)


def _valid(items):
    return ((position, item) for position, item in enumerate(items) if item is not None)


def _store_references(index, known, company_items) -> validation.References:
    refs = validation.References()
    refs.add_categories(sorted(known.categories))
    skus = {
        value
        for _, company in company_items
        for rule in company.approval_rules or ()
        for condition in rule.conditions
        if condition.kind == "contains_product"
        for value in condition.values
    }
    refs.add_skus(index.skus)
    if skus:
        refs.add_skus(with_skus(Product.objects.all(), skus).values_list("sku", flat=True))
    refs.add_methods(
        [
            *(m.code for _, m in _valid(index.sections["payment_methods"])),
            *_db_codes("payment"),
        ],
        [
            *(m.code for _, m in _valid(index.sections["shipping_methods"])),
            *_db_codes("shipping"),
        ],
    )
    refs.add_roles(sorted(team_checks.known_roles(index.sections["roles"])))
    return refs


def _db_codes(kind: str) -> list[str]:
    model = PaymentMethod if kind == "payment" else ShippingMethod
    return list(model.objects.values_list("code", flat=True))


def _company_references(store_refs, company, known, db_locations) -> validation.References:
    if company.locations is not None:
        locations = [location.code for location in company.locations]
    else:
        locations = db_locations.get(company.code) or [MAIN_LOCATION]
    emails = {user.email.lower() for user in company.users}
    emails |= {email for email, owner in known.user_companies.items() if owner == company.code}
    return replace(
        store_refs,
        locations={code.casefold(): code for code in reversed(locations)},
        users={email.lower(): email.lower() for email in emails},
    )


def check_company_approvals(errors, index, known) -> ApprovalIndex:
    """Each company's `approval_rules` and `budgets` (null: left as they are)."""
    found = ApprovalIndex()
    items = [
        (position, company)
        for position, company in _valid(index.sections["companies"])
        if company.approval_rules is not None or company.budgets is not None
    ]
    if not items:
        return found
    store_refs = _store_references(index, known, items)
    db_locations: dict[str, list[str]] = {}
    for company, code in Location.objects.order_by("position", "id").values_list(
        "company__code", "code"
    ):
        db_locations.setdefault(company, []).append(code)
    for position, company in items:
        path = f"companies[{position}]"
        refs = _company_references(store_refs, company, known, db_locations)
        cleaned = CompanyApprovals()
        if company.approval_rules is not None:
            cleaned.rules = _check_rules(errors, path, company.approval_rules, refs)
        if company.budgets is not None:
            cleaned.budgets = _check_budgets(errors, path, company.budgets, refs)
        found.companies[company.code] = cleaned
    return found


def _check_rules(errors, path, items, refs) -> list[validation.RuleInput]:
    cleaned_rules = []
    names: list[str] = []
    for position, item in enumerate(items):
        rule, problems = validation.clean_rule(
            validation.RuleInput(
                name=item.name,
                level=item.level,
                approver_roles=tuple(item.approver_roles),
                approvers=tuple(item.approvers),
                active=item.active,
                conditions=tuple(
                    validation.ConditionInput(
                        kind=condition.kind,
                        values=tuple(condition.values),
                        amount=condition.amount,
                    )
                    for condition in item.conditions
                ),
            ),
            refs,
            other_names=names,
        )
        names.append(item.name.strip())
        for problem in problems:
            errors.add(f"{path}.approval_rules[{position}].{problem.field}", problem.message)
        cleaned_rules.append(rule)
    return cleaned_rules


def _check_budgets(errors, path, items, refs) -> list[validation.BudgetInput]:
    cleaned_budgets = []
    scopes: list[tuple] = []
    for position, item in enumerate(items):
        budget, problems = validation.clean_budget(
            validation.BudgetInput(
                location=item.location,
                user=item.user,
                period=item.period,
                amount=item.amount,
                over_budget=item.over_budget,
                active=item.active,
            ),
            refs,
            other_scopes=scopes,
        )
        scopes.append(validation.budget_scope_key(budget))
        for problem in problems:
            errors.add(f"{path}.budgets[{position}].{problem.field}", problem.message)
        cleaned_budgets.append(budget)
    return cleaned_budgets


class RequestChecks:
    """What approval requests may name: their company's users and locations, orders."""

    def __init__(self, index, known):
        self.known = known
        self.locations = team_checks.order_location_codes(index.sections["companies"])
        self.bundle_users = {
            user.email.lower(): company.code
            for _, company in _valid(index.sections["companies"])
            for user in company.users
        }
        self.order_numbers = index.order_numbers
        self.numbers: dict[str, int] = {}
        self.orders: dict[str, int] = {}
        self._db_orders = None
        self._db_links = None
        self.bundle_quotes: dict[str, str] = {}
        self._db_quotes = None

    def company_of(self, email: str) -> str | None:
        email = email.lower()
        if email in self.bundle_users:
            return self.bundle_users[email]
        return self.known.user_companies.get(email)

    def user_exists(self, email: str) -> bool:
        email = email.lower()
        return email in self.bundle_users or email in self.known.user_companies

    def order_exists(self, number: str) -> bool:
        if number in self.order_numbers:
            return True
        if self._db_orders is None:
            self._db_orders = set(Order.objects.values_list("number", flat=True))
        return number in self._db_orders

    def company_of_quote(self, number: str) -> str | None:
        """The company of that quote, in the bundle or else in the database."""
        if number in self.bundle_quotes:
            return self.bundle_quotes[number]
        if self._db_quotes is None:
            self._db_quotes = dict(Quote.objects.values_list("number", "company__code"))
        return self._db_quotes.get(number)

    def request_of_order(self, number: str) -> str | None:
        """The request already linked to that order in the database."""
        if self._db_links is None:
            self._db_links = dict(
                ApprovalRequest.objects.filter(order__isnull=False).values_list(
                    "order__number", "number"
                )
            )
        return self._db_links.get(number)


def check_requests(errors, reader, index, known, validate_item) -> None:
    """The approval requests, streamed as orders are."""
    if "approval_requests" not in index.present:
        return
    checks = RequestChecks(index, known)
    if "quotes" in index.present:
        checks.bundle_quotes = {
            raw["number"]: raw["company"]
            for raw in reader.items("quotes")
            if isinstance(raw, dict)
            and isinstance(raw.get("number"), str)
            and isinstance(raw.get("company"), str)
        }
    for position, raw in enumerate(reader.items("approval_requests")):
        request = validate_item(
            errors, ("approval_requests", position), schema.ApprovalRequestItem, raw
        )
        if request is not None:
            check_request(errors, f"approval_requests[{position}]", request, checks, position)


def check_request(errors, path, request, checks: RequestChecks, position: int) -> None:
    if request.number in checks.numbers:
        first = checks.numbers[request.number]
        errors.add(
            f"{path}.number", f"duplicate {request.number!r} (also approval_requests[{first}])"
        )
    checks.numbers.setdefault(request.number, position)
    if request.company not in checks.known.companies:
        errors.add(f"{path}.company", f"unknown company {request.company!r}")
    owner = checks.company_of(request.requester)
    if owner is None:
        errors.add(f"{path}.requester", f"unknown user {request.requester!r}")
    elif owner != request.company:
        errors.add(f"{path}.requester", f"{request.requester} is not a user of {request.company}")
    team_checks.check_order_location(errors, path, request, checks.locations)
    _check_request_order(errors, path, request, checks, position)
    if request.quote is not None:
        quote_company = checks.company_of_quote(request.quote)
        if quote_company is None:
            errors.add(f"{path}.quote", f"unknown quote {request.quote!r}")
        elif quote_company != request.company:
            errors.add(f"{path}.quote", f"{request.quote} is a quote of {quote_company}")
    if request.valid_until < request.submitted_at.date():
        errors.add(f"{path}.valid_until", "is before the day it was submitted")
    names = set()
    for rule_position, rule in enumerate(request.rules):
        rule_path = f"{path}.rules[{rule_position}]"
        if rule.name in names:
            errors.add(f"{rule_path}.name", f"duplicate {rule.name!r}")
        names.add(rule.name)
        for approver_position, email in enumerate(rule.approvers):
            if checks.company_of(email) != request.company:
                errors.add(
                    f"{rule_path}.approvers[{approver_position}]",
                    f"{email!r} is not a user of {request.company}",
                )
        _check_snapshot_conditions(errors, rule_path, rule, request, checks)
    events = set()
    for event_position, event in enumerate(request.events):
        event_path = f"{path}.events[{event_position}]"
        if event.actor is not None and not checks.user_exists(event.actor):
            errors.add(f"{event_path}.actor", f"unknown user {event.actor!r}")
        key = (event.at, event.action, (event.actor or "").lower())
        if key in events:
            errors.add(event_path, "the same step by the same user at the same time twice")
        events.add(key)
    for line_position, line in enumerate(request.lines):
        if line.promotion + line.volume > line.unit_price * line.qty:
            errors.add(f"{path}.lines[{line_position}]", "discounts exceed the gross amount")
    seen = set()
    for tax_position, tax in enumerate(request.tax_lines):
        if (tax.rate, tax.reason) in seen:
            errors.add(f"{path}.tax_lines[{tax_position}].rate", f"duplicate {tax.rate}")
        seen.add((tax.rate, tax.reason))


def _check_snapshot_conditions(errors, rule_path, rule, request, checks) -> None:
    """The conditions as matched then: their codes may be gone since, not their shape, and a
    requester is a user of the company."""
    for position, condition in enumerate(rule.conditions):
        path = f"{rule_path}.conditions[{position}]"
        if (condition.kind == "total_above") != (condition.amount is not None):
            errors.add(f"{path}.amount", "total_above, and only it, takes an amount")
        if condition.kind == "requester":
            for value_position, email in enumerate(condition.values):
                if checks.company_of(email) != request.company:
                    errors.add(
                        f"{path}.values[{value_position}]",
                        f"{email!r} is not a user of {request.company}",
                    )


def _check_request_order(errors, path, request, checks: RequestChecks, position: int) -> None:
    """An order comes from one approved request, and only an ordered request has one."""
    if request.status == "ordered" and request.order is None:
        errors.add(f"{path}.order", "an ordered request names the order it became")
    if request.order is None:
        return
    if request.status != "ordered":
        errors.add(
            f"{path}.order", f"only an ordered request has an order, not a {request.status} one"
        )
    if not checks.order_exists(request.order):
        errors.add(f"{path}.order", f"unknown order {request.order!r}")
    if request.order in checks.orders:
        first = checks.orders[request.order]
        errors.add(
            f"{path}.order",
            f"order {request.order!r} is already that of approval_requests[{first}]",
        )
    checks.orders.setdefault(request.order, position)
    linked = checks.request_of_order(request.order)
    if linked is not None and linked != request.number:
        errors.add(f"{path}.order", f"order {request.order!r} already comes from {linked}")
