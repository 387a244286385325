"""The JSON shapes of the ERP routes (docs/api.md, "Integrations"): what an ERP mirrors.

Every resource carries `updated_at`, the time its sync cursor is built from."""

from comptoir.catalog.selectors import product_translations
from comptoir.core.money import format_decimal as dec
from comptoir.ordering.json_views import order_json
from comptoir.payments.resources import invoice_resource


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


def product_resource(product) -> dict:
    return {
        "sku": product.sku,
        "name": product.name,
        "description": product.description,
        "category": product.category_code,
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
        "translations": product_translations(product),
        "updated_at": product.updated_at.isoformat(),
    }


def price_list_resource(price_list) -> dict:
    return {
        "code": price_list.code,
        "name": price_list.name,
        "currency": price_list.currency,
        "priority": price_list.priority,
        "parent": price_list.parent_code,
        "adjustment_percent": dec(price_list.adjustment_percent),
        "valid_from": _date(price_list.valid_from),
        "valid_until": _date(price_list.valid_until),
        "updated_at": price_list.updated_at.isoformat(),
    }


def price_entry_resource(entry) -> dict:
    return {
        "price_list": entry.list_code,
        "sku": entry.sku,
        "min_qty": entry.min_qty,
        "price": dec(entry.price),
        "updated_at": entry.updated_at.isoformat(),
    }


def company_resource(company) -> dict:
    return {
        "code": company.code,
        "name": company.name,
        "group": company.group_code,
        "status": company.status,
        "country": company.country,
        "region": company.region or None,
        "vat_number": company.vat_number,
        "credit_limit": dec(company.credit_limit),
        "updated_at": company.updated_at.isoformat(),
    }


def order_resource(order) -> dict:
    return order_json(order) | {
        "company": order.company.code,
        "updated_at": order.updated_at.isoformat(),
    }


def invoice_sync_resource(invoice) -> dict:
    return invoice_resource(invoice) | {"company": invoice.buyer_code}


def tombstone_resource(tombstone) -> dict:
    return {
        "kind": tombstone.kind,
        "key": tombstone.key,
        "deleted_at": tombstone.deleted_at.isoformat(),
    }
