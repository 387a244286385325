"""Writes the whole store as a bundle (API.md §1), streamed, in a stable order.

The text is exactly `json.dumps(bundle, indent=1, ensure_ascii=False)`, written item by item
so that a catalogue of any size dumps in bounded memory; everything is sorted by natural key
so that dump → load → dump gives the identical file.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import TextIO

from django.db.models import Prefetch
from django.db.models.fields.files import FieldFile

from comptoir.accounts.models import Role, User
from comptoir.bundle import (
    approval_dumper,
    family_bundle,
    quote_bundle,
    return_bundle,
    sales_bundle,
    translation_bundle,
)
from comptoir.bundle.credit_bundle import dump_credits
from comptoir.bundle.zip_bundle import write_zip
from comptoir.catalog.models import AttributeType, Category, Product
from comptoir.core.models import Store
from comptoir.core.money import format_decimal
from comptoir.customers.models import Company, CustomerGroup, Location, SegmentationRule
from comptoir.ordering.models import Order
from comptoir.payments.models import Invoice, PaymentMethod, ShippingMethod
from comptoir.pricing.models import PackagingPrice, PriceEntry, PriceList, Promotion
from comptoir.storefront.models import Banner
from comptoir.tax.models import TaxRate

CHUNK = 2000
SaveFile = Callable[[str, FieldFile], None]


def dump_to_file(target: Path) -> None:
    """The whole store as a bundle at `target` with its pictures and documents: a zip
    holding them all when its name ends in `.zip`, else a JSON file with the files copied
    beside it (docs/bundle.md, "Pictures" and "Zip archives")."""
    if target.suffix.lower() == ".zip":
        write_zip(target, dump_store)
        return
    folder = target.resolve().parent
    with target.open("w", encoding="utf-8") as handle:
        dump_store(handle, lambda name, stored: _copy(stored, folder / name))


def dump_store(out: TextIO, save: SaveFile | None = None) -> None:
    """The whole store as a bundle. With `save`, the store's logo and each product's
    pictures and documents are listed under `images/` and `documents/` and handed to
    `save(name, stored_file)`;
    without, both keys are left out, which a load reads as "leave them as they are"
    (docs/bundle.md, "Pictures")."""
    sections = [
        ("tax_rates", _tax_rates()),
        ("categories", _categories()),
        ("products", _products(save)),
        (family_bundle.SECTION, family_bundle.dump_families()),
        ("price_lists", _price_lists()),
        ("groups", _groups()),
        ("promotions", _promotions()),
        ("roles", _roles()),
        ("companies", _companies()),
        ("payment_methods", _methods(PaymentMethod)),
        ("shipping_methods", _methods(ShippingMethod)),
        ("segmentation_rules", _segmentation_rules()),
        ("banners", _banners()),
        ("orders", _orders()),
        ("approval_requests", approval_dumper.approval_requests()),
        (quote_bundle.SECTION, quote_bundle.dump_quotes()),
        (return_bundle.SECTION, return_bundle.dump_returns()),
    ]
    out.write("{")
    store = _store(save)
    first = True
    if store is not None:
        out.write('\n "store": ' + _indent(json.dumps(store, indent=1, ensure_ascii=False), 1))
        first = False
    for name, items in sections:
        out.write(("\n" if first else ",\n") + f" {json.dumps(name)}: ")
        first = False
        _write_list(out, items)
    out.write("\n}\n")


def _indent(text: str, depth: int) -> str:
    return text.replace("\n", "\n" + " " * depth)


def _write_list(out: TextIO, items: Iterable[dict]) -> None:
    empty = True
    for item in items:
        out.write("[\n  " if empty else ",\n  ")
        out.write(_indent(json.dumps(item, indent=1, ensure_ascii=False), 2))
        empty = False
    out.write("[]" if empty else "\n ]")


def _price(value):
    return format_decimal(value, 2)


def _amount(value):
    return format_decimal(value, 2)


def _region(value):
    return value or None


def _codes(related) -> list[str]:
    return sorted(obj.code for obj in related)


def _store(save: SaveFile | None):
    store = Store.objects.select_related("default_group", "base_price_list").first()
    if store is None:
        return None
    logo = {}
    if save is not None and store.logo:
        name = f"images/{PurePosixPath(store.logo.name).name}"
        save(name, store.logo)
        logo = {"logo": name}
    return logo | {
        "name": store.name,
        "currency": store.currency,
        "country": store.country,
        "region": _region(store.region),
        "access_mode": store.access_mode,
        "min_order_amount": _amount(store.min_order_amount),
        "default_group": store.default_group.code,
        "base_price_list": store.base_price_list.code if store.base_price_list else None,
        "time_zone": store.time_zone,
        "legal_notice": store.legal_notice,
        "invoice_on": store.invoice_on,
        "block_overdue_invoice_terms": store.block_overdue_invoice_terms,
        "return_window_days": store.return_window_days,
        "legal_address": store.legal_address,
        "vat_number": store.vat_number,
        "iban": store.iban,
        "bic": store.bic,
        "late_payment_penalty_rate": format_decimal(store.late_payment_penalty_rate),
        "approval_valid_days": store.approval_valid_days,
        "language": store.language,
    }


def _tax_rates() -> Iterator[dict]:
    for rate in TaxRate.objects.order_by("country", "region", "tax_class"):
        yield {
            "country": rate.country,
            "region": _region(rate.region),
            "tax_class": rate.tax_class,
            "rate": format_decimal(rate.rate),
        }


def _categories() -> Iterator[dict]:
    categories = Category.objects.select_related("parent").prefetch_related("attributes")
    for category in categories.order_by("code"):
        yield {
            "code": category.code,
            "name": category.name,
            "parent": category.parent.code if category.parent else None,
            "position": category.position,
            "translations": category.translations,
            "attributes": [
                {
                    "code": attribute.code,
                    "label": attribute.label,
                    "type": attribute.type,
                    "unit": attribute.unit,
                    "choices": [c for c in attribute.choices.splitlines() if c],
                    "position": attribute.position,
                    "translations": translation_bundle.dumped(attribute.translations),
                }
                for attribute in category.attributes.all()
            ],
        }


def _products(save: SaveFile | None) -> Iterator[dict]:
    related = ["visible_groups", "visible_companies", "packagings", "attribute_values__definition"]
    if save is not None:
        related += ["images", "documents"]
    queryset = Product.objects.select_related("category").prefetch_related(*related).order_by("sku")
    for product in queryset.iterator(chunk_size=CHUNK):
        item = {
            "sku": product.sku,
            "name": product.name,
            "description": product.description,
            "category": product.category.code if product.category else None,
            "tax_class": product.tax_class,
            "unit": product.unit,
            "pack_size": product.pack_size,
            "min_qty": product.min_qty,
            "max_qty": product.max_qty,
            "qty_step": product.qty_step,
            "stock": product.stock,
            "backorder": product.backorder,
            "active": product.active,
            "visibility": product.visibility,
            "groups": _codes(product.visible_groups.all()),
            "companies": _codes(product.visible_companies.all()),
            "packagings": [
                {
                    "unit": packaging.unit,
                    "factor": packaging.factor,
                    "enabled": packaging.enabled,
                    "percent_off": format_decimal(packaging.percent_off),
                    "min_qty": packaging.min_qty,
                    "max_qty": packaging.max_qty,
                    "qty_step": packaging.qty_step,
                }
                for packaging in sorted(product.packagings.all(), key=lambda p: p.factor)
            ],
        }
        values = product.attribute_values.all()
        item["attributes"] = {found.definition.code: found.value for found in values}
        item["attribute_translations"] = _attribute_translations(values)
        item["translations"] = product.translations
        if save is not None:
            item["images"] = [_image_file(save, image) for image in product.images.all()]
            item["documents"] = [_document_file(save, doc) for doc in product.documents.all()]
        yield item


def _attribute_translations(values) -> dict[str, dict[str, str]]:
    """The text values' translations as a bundle writes them: by language, then code (those a
    value kept from before its attribute became a number or a choice are not read, and would
    be refused by the loader)."""
    found: dict[str, dict[str, str]] = {}
    for value in values:
        if value.definition.type != AttributeType.TEXT:
            continue
        for language, fields in value.translations.items():
            found.setdefault(language, {})[value.definition.code] = fields["value"]
    return {language: found[language] for language in sorted(found)}


def _document_file(save: SaveFile, document) -> dict:
    name = f"documents/{PurePosixPath(document.file.name).name}"
    save(name, document.file)
    return {"path": name, "title": document.title, "kind": document.kind}


def _copy(stored, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with stored.open("rb") as source:
        target.write_bytes(source.read())


def _image_file(save: SaveFile, image) -> dict:
    """Saves the picture's large rendition with the bundle (the original is not kept)."""
    name = f"images/{PurePosixPath(image.large.name).name}"
    save(name, image.large)
    return {"path": name, "alt": image.alt, "translations": image.translations}


def _price_lists() -> Iterator[dict]:
    for price_list in PriceList.objects.select_related("parent").order_by("code"):
        entries = (
            PriceEntry.objects.filter(price_list=price_list)
            .order_by("product__sku", "min_qty")
            .values_list("product__sku", "min_qty", "price")
        )
        yield {
            "code": price_list.code,
            "name": price_list.name,
            "currency": price_list.currency,
            "priority": price_list.priority,
            "parent": price_list.parent.code if price_list.parent else None,
            "adjustment_percent": format_decimal(price_list.adjustment_percent),
            "valid_from": _date(price_list.valid_from),
            "valid_until": _date(price_list.valid_until),
            "entries": [
                {"sku": sku, "min_qty": min_qty, "price": _price(price)}
                for sku, min_qty, price in entries.iterator(chunk_size=CHUNK)
            ]
            + [
                {"sku": sku, "min_qty": min_qty, "price": _price(price), "unit": unit}
                for sku, unit, min_qty, price in PackagingPrice.objects.filter(
                    price_list=price_list
                )
                .order_by("packaging__product__sku", "packaging__unit", "min_qty")
                .values_list("packaging__product__sku", "packaging__unit", "min_qty", "price")
            ],
        }


def _date(value):
    return value.isoformat() if value else None


def _groups() -> Iterator[dict]:
    queryset = CustomerGroup.objects.prefetch_related(
        "price_lists",
        "catalog_categories",
        "volume_discounts",
        Prefetch("order_rules", queryset=_order_rules()),
    ).order_by("code")
    for group in queryset:
        yield {
            "code": group.code,
            "name": group.name,
            "price_lists": _codes(group.price_lists.all()),
            "min_order_amount": _amount(group.min_order_amount),
            "tax_exempt": group.tax_exempt,
            "catalog_categories": _codes(group.catalog_categories.all())
            if group.limit_catalog
            else None,
            "volume_discounts": [
                {"min_total_qty": tier.min_total_qty, "percent": format_decimal(tier.percent)}
                for tier in sorted(
                    group.volume_discounts.all(), key=lambda tier: tier.min_total_qty
                )
            ],
            "order_rules": [
                {
                    "sku": rule.product.sku,
                    "min_qty": rule.min_qty,
                    "max_qty": rule.max_qty,
                    "qty_step": rule.qty_step,
                }
                for rule in group.order_rules.all()
            ],
        }


def _order_rules():
    from comptoir.ordering.models import GroupOrderRule

    return GroupOrderRule.objects.select_related("product").order_by("product__sku")


def _promotions() -> Iterator[dict]:
    queryset = Promotion.objects.prefetch_related("customer_groups", "products", "categories")
    for promotion in queryset.order_by("code"):
        yield {
            "code": promotion.code,
            "name": promotion.name,
            "groups": _codes(promotion.customer_groups.all()),
            "percent": format_decimal(promotion.percent),
            "skus": sorted(product.sku for product in promotion.products.all()),
            "categories": _codes(promotion.categories.all()),
            "valid_from": _date(promotion.valid_from),
            "valid_until": _date(promotion.valid_until),
            "translations": promotion.translations,
        }


def _banners() -> Iterator[dict]:
    for banner in Banner.objects.prefetch_related("customer_groups").order_by("code"):
        yield {
            "code": banner.code,
            "kind": banner.kind,
            "title": banner.title,
            "body": banner.body,
            "link_url": banner.link_url,
            "groups": _codes(banner.customer_groups.all()),
            "language": banner.language,
            "valid_from": _date(banner.valid_from),
            "valid_until": _date(banner.valid_until),
            "position": banner.position,
            "active": banner.active,
        }


def _roles() -> Iterator[dict]:
    for role in Role.objects.order_by("code"):
        yield {"code": role.code, "name": role.name, "permissions": role.permissions}


def _locations(company) -> list[dict]:
    addresses = {}
    for address in sorted(company.addresses.all(), key=lambda a: (a.position, a.id)):
        addresses.setdefault(address.location_id, []).append(address.code)
    return [
        {
            "code": location.code,
            "name": location.name,
            "addresses": addresses.get(location.id, []),
            "billing_address": location.billing_address.code if location.billing_address else None,
        }
        for location in company.locations.all()
    ]


def _companies() -> Iterator[dict]:
    queryset = (
        Company.objects.select_related("group")
        .prefetch_related(
            "price_lists",
            "addresses",
            "tax_certificates",
            Prefetch("locations", queryset=Location.objects.select_related("billing_address")),
            Prefetch(
                "users", queryset=User.objects.order_by("email").prefetch_related("locations")
            ),
            *approval_dumper.company_prefetches(),
            sales_bundle.company_prefetch(),
        )
        .order_by("code")
    )
    emails = approval_dumper.UserEmails()
    for company in queryset.iterator(chunk_size=CHUNK):
        yield {
            "code": company.code,
            "name": company.name,
            "group": company.group.code,
            "status": company.status,
            "country": company.country,
            "region": _region(company.region),
            "vat_number": company.vat_number,
            "pinned_group": company.pinned_group,
            "price_lists": _codes(company.price_lists.all()),
            "credit_limit": _amount(company.credit_limit),
            "rejection_reason": company.rejection_reason,
            "addresses": [
                {
                    "code": address.code,
                    "line1": address.line1,
                    "line2": address.line2,
                    "city": address.city,
                    "postal_code": address.postal_code,
                    "country": address.country,
                    "region": _region(address.region),
                }
                for address in sorted(company.addresses.all(), key=lambda a: (a.position, a.id))
            ],
            "locations": _locations(company),
            "representatives": sales_bundle.dump_representatives(company),
            "tax_certificates": [
                {
                    "number": certificate.number,
                    "country": certificate.country,
                    "region": _region(certificate.region),
                    "issued_on": _date(certificate.issued_on),
                    "expires_on": _date(certificate.expires_on),
                    "status": certificate.status,
                    "rejection_reason": certificate.rejection_reason,
                }
                for certificate in sorted(company.tax_certificates.all(), key=lambda c: c.number)
            ],
            "users": [
                {
                    "email": user.email,
                    "password_hash": user.password,
                    "role": user.role,
                    "locations": None
                    if user.all_locations
                    else sorted(location.code for location in user.locations.all()),
                    "first_name": user.first_name,
                    "last_name": user.last_name,
                }
                for user in company.users.all()
            ],
            "approval_rules": approval_dumper.company_approval_rules(company, emails),
            "budgets": approval_dumper.company_budgets(company),
        }


def _methods(model) -> Iterator[dict]:
    queryset = model.objects.prefetch_related(
        "customer_groups", "companies", "excluded_companies"
    ).order_by("code")
    for method in queryset:
        item = {"code": method.code}
        if model is PaymentMethod:
            item.update(
                type=method.type,
                name=method.name,
                net_days=method.net_days,
                term_rule=method.term_rule,
                without_credit_limit=method.without_credit_limit,
            )
        else:
            item.update(
                name=method.name, price=_amount(method.price), free_above=_amount(method.free_above)
            )
        item["active"] = method.active
        item["position"] = method.position
        if model is PaymentMethod:
            item["instructions"] = method.instructions
        groups = _codes(method.customer_groups.all())
        companies = _codes(method.companies.all())
        excluded = _codes(method.excluded_companies.all())
        item["conditions"] = {
            "countries": sorted(method.countries) if method.countries else None,
            "groups": groups or None,
            "companies": companies or None,
            "excluded_companies": excluded or None,
            "min_total": _amount(method.min_total),
            "max_total": _amount(method.max_total),
        }
        item["translations"] = method.translations
        yield item


def _segmentation_rules() -> Iterator[dict]:
    queryset = SegmentationRule.objects.select_related("group").prefetch_related("conditions")
    for rule in queryset.order_by("position"):
        conditions = sorted(rule.conditions.all(), key=lambda c: (c.field, c.op, c.value))
        yield {
            "position": rule.position,
            "group": rule.group.code,
            "active": rule.active,
            "conditions": [
                {
                    "field": condition.field,
                    "op": condition.op,
                    "value": condition.value.split(",")
                    if condition.op == "in"
                    else condition.value,
                }
                for condition in conditions
            ],
        }


def _orders() -> Iterator[dict]:
    queryset = (
        Order.objects.select_related("company", "buyer", "placed_by", "invoice", "location")
        .prefetch_related(
            "lines",
            "tax_lines",
            "invoice__payments",
            "invoice__credit_notes",
            "invoice__refunds",
        )
        .order_by("number")
    )
    for order in queryset.iterator(chunk_size=500):
        yield {
            "number": order.number,
            "company": order.company.code,
            "buyer": order.buyer.email if order.buyer else None,
            "placed_by": order.placed_by.email if order.placed_by else None,
            "location": order.location.code if order.location else None,
            "status": order.status,
            "payment_status": order.payment_status,
            "placed_at": order.placed_at.isoformat(),
            **({"delivered_on": order.delivered_on.isoformat()} if order.delivered_on else {}),
            "currency": order.currency,
            "po_number": order.po_number,
            "comment": order.comment,
            "payment_method": order.payment_method_code,
            "shipping_method": order.shipping_method_code,
            "shipping_address": order.shipping_address,
            "billing_address": order.billing_address,
            "lines": [
                {
                    "sku": line.sku,
                    "name": line.name,
                    "category": line.category_code or None,
                    "qty": line.quantity,
                    "unit_price": _price(line.unit_price),
                    "promotion_percent": format_decimal(line.promotion_percent),
                    "promotion": _amount(line.promotion_amount),
                    "volume_percent": format_decimal(line.volume_percent),
                    "volume": _amount(line.volume_amount),
                    "tax_class": line.tax_class or None,
                    "tax_rate": format_decimal(line.tax_rate),
                }
                | (
                    {"unit": line.unit, "base_qty": line.base_quantity}
                    if line.base_quantity is not None
                    else {}
                )
                for line in sorted(order.lines.all(), key=lambda line: line.position)
            ],
            "shipping_total": _amount(order.shipping_total),
            "tax_lines": [
                {
                    "rate": format_decimal(tax.rate),
                    "base": _amount(tax.base),
                    "amount": _amount(tax.amount),
                    "reason": tax.reason or None,
                }
                for tax in sorted(order.tax_lines.all(), key=lambda tax: (-tax.rate, tax.reason))
            ],
            "invoice": _invoice(order),
        }


def _invoice(order) -> dict | None:
    try:
        invoice = order.invoice
    except Invoice.DoesNotExist:
        return None
    return {
        "number": invoice.number,
        "issued_on": invoice.issued_on.isoformat(),
        "due_on": invoice.due_on.isoformat(),
        "payments": [
            {
                "amount": _amount(payment.amount),
                "paid_on": payment.paid_on.isoformat(),
                "method": payment.method,
                "reference": payment.reference,
            }
            for payment in sorted(
                invoice.payments.all(),
                key=lambda p: (p.paid_on, p.amount, p.method, p.reference),
            )
        ],
        **dump_credits(invoice),
    }
