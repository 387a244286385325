"""A null for an optional field of a bundle means the key was left out (API.md §2.1)."""

import typing

import pytest
from pydantic import BaseModel

from comptoir.bundle import schema
from comptoir.bundle.loader import load_store
from comptoir.bundle.tests.conftest import database_snapshot
from comptoir.customers.models import Company


def _models_in(annotation) -> list[type[schema.Item]]:
    """The item models an annotation holds (`X`, `list[X]`, `X | None`, `Annotated[X, ...]`)."""
    if isinstance(annotation, type) and issubclass(annotation, schema.Item):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _models_in(arg)]


def _with_nulls(model: type[BaseModel], item: dict, seen: set) -> dict:
    """`item` with an explicit null for each optional field it leaves out, at every depth."""
    result = dict(item)
    for name, field in model.model_fields.items():
        if name not in item and not field.is_required():
            result[name] = None
            seen.add((model.__name__, name))
        nested = _models_in(field.annotation)
        if nested and isinstance(item.get(name), dict):
            result[name] = _with_nulls(nested[0], item[name], seen)
        elif nested and isinstance(item.get(name), list):
            result[name] = [_with_nulls(nested[0], child, seen) for child in item[name]]
    return result


def nulls_everywhere(bundle: dict) -> tuple[dict, set]:
    seen = set()
    result = {"store": _with_nulls(schema.StoreItem, bundle["store"], seen)}
    for section, model in schema.SECTIONS.items():
        result[section] = [_with_nulls(model, item, seen) for item in bundle[section]]
    return result, seen


@pytest.mark.django_db
def test_every_optional_field_may_be_null(sample, write_bundle):
    load_store(write_bundle(sample))
    before = database_snapshot()
    with_nulls, seen = nulls_everywhere(sample)

    load_store(write_bundle(with_nulls, "nulls.json"))

    assert database_snapshot() == before
    assert {("CompanyItem", "vat_number"), ("ProductItem", "max_qty")} <= seen
    # Approvals (issue 16): a null list keeps what the company has, a null field its default.
    assert {
        ("StoreItem", "approval_valid_days"),
        ("CompanyItem", "approval_rules"),
        ("CompanyItem", "budgets"),
        ("ApprovalRuleItem", "level"),
        ("ApprovalConditionItem", "amount"),
        ("BudgetItem", "location"),
        ("BudgetItem", "user"),
        ("ApprovalRequestItem", "order"),
        ("ApprovalRequestItem", "location"),
        ("ApprovalRuleSnapshotItem", "approved"),
        ("ApprovalEventItem", "actor"),
    } <= seen
    assert len(seen) > 90


@pytest.mark.django_db
def test_a_company_with_a_null_vat_number_loads(sample, write_bundle):
    sample["companies"][0]["vat_number"] = None

    load_store(write_bundle(sample))

    assert Company.objects.get(code=sample["companies"][0]["code"]).vat_number == ""


@pytest.mark.django_db
def test_a_null_required_field_is_still_refused(sample, write_bundle):
    from comptoir.bundle.errors import BundleError

    sample["companies"][0]["name"] = None

    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(sample))

    assert "companies[0].name: must be a string" in refused.value.messages


def _all_models(models) -> set[type[schema.Item]]:
    found = set()
    while models:
        model = models.pop()
        found.add(model)
        for field in model.model_fields.values():
            models += [nested for nested in _models_in(field.annotation) if nested not in found]
    return found


OPTIONAL_FIELDS = {
    (model.__name__, name)
    for model in _all_models([schema.StoreItem, *schema.SECTIONS.values()])
    for name, field in model.model_fields.items()
    if not field.is_required()
}


def _items(model: type[schema.Item], item: dict):
    """(model, item) for `item` and every item nested in it."""
    yield model, item
    for name, field in model.model_fields.items():
        nested = _models_in(field.annotation)
        children = item.get(name)
        for child in children if isinstance(children, list) else [children]:
            if nested and isinstance(child, dict):
                yield from _items(nested[0], child)


# Kinds of item the sample bundle has none of.
PAYMENT = {"amount": "10.00", "paid_on": "2026-02-01", "method": "cheque", "reference": "CHQ-1"}
CREDIT_LINE = {
    "line": 0,
    "sku": "SCR-100",
    "name": "Screws",
    "quantity": 2,
    "unit": "box",
    "unit_price": "9.50",
    "net": "19.00",
    "tax_rate": "20.00",
}
CREDIT_NOTE = {
    "number": "AV-2026-000001",
    "issued_on": "2026-02-02",
    "kind": "lines",
    "reason": "Damaged",
    "lines": [CREDIT_LINE],
    "tax_lines": [{"rate": "20.00", "base": "19.00", "amount": "3.80", "reason": "x"}],
    "shipping": "0.00",
}
REFUND = {"amount": "5.00", "refunded_on": "2026-02-03", "method": "cheque", "reference": "R-1"}
EXTRA_ITEMS = {
    "InvoiceItem": [
        {"number": "F-1", "issued_on": "2026-01-10", "due_on": "2026-02-09", "payments": [PAYMENT]}
    ],
    "InvoicePaymentItem": [PAYMENT],
    "CreditNoteItem": [CREDIT_NOTE],
    "CreditLineItem": CREDIT_NOTE["lines"],
    "CreditTaxLineItem": CREDIT_NOTE["tax_lines"],
    "InvoiceRefundItem": [REFUND],
    "PackagingItem": [{"unit": "case", "factor": 12}],
    "AttributeItem": [{"code": "length", "label": "Length", "type": "number", "unit": "mm"}],
    "ProductDocumentItem": [{"path": "sheets/a.pdf", "title": "Data sheet"}],
    "ProductImageItem": [{"path": "images/a.webp", "alt": "A box of screws"}],
}


def sample_items() -> dict[str, list[dict]]:
    from comptoir.bundle.tests.sample import sample_bundle

    bundle = sample_bundle()
    found: dict[str, list[dict]] = {name: list(items) for name, items in EXTRA_ITEMS.items()}
    pairs = list(_items(schema.StoreItem, bundle["store"]))
    for section, model in schema.SECTIONS.items():
        for item in bundle[section]:
            pairs += _items(model, item)
    for model, item in pairs:
        found.setdefault(model.__name__, []).append(item)
    return found


MODELS = {
    model.__name__: model for model in _all_models([schema.StoreItem, *schema.SECTIONS.values()])
}


@pytest.mark.parametrize(("model_name", "field"), sorted(OPTIONAL_FIELDS))
def test_each_optional_field_reads_null_as_absent(model_name, field):
    """Every item of the sample of that kind validates the same with the field null or absent."""
    model = MODELS[model_name]
    items = sample_items()[model_name]
    for item in items:
        absent = {key: value for key, value in item.items() if key != field}

        assert model.model_validate({**absent, field: None}) == model.model_validate(absent)
