"""Second pass: writes a validated bundle in one transaction, in the order references need.

Big sections (products, price lists, orders) are streamed again from the file and written in
batches; the small ones come validated from the first pass.
"""

import hashlib
from collections.abc import Callable
from decimal import Decimal
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction

from comptoir.accounts.models import User
from comptoir.bundle import (
    approval_writer,
    attribute_bundle,
    family_bundle,
    quote_bundle,
    return_bundle,
    sales_bundle,
    schema,
    team_writer,
    translation_bundle,
)
from comptoir.bundle.checks import Index, validate_bundle
from comptoir.bundle.credit_bundle import load_credits
from comptoir.bundle.errors import BundleError
from comptoir.bundle.image_files import document_data, image_data
from comptoir.bundle.reader import BundleReader
from comptoir.bundle.sources import open_bundle
from comptoir.bundle.sync import sync_children, sync_m2m, upsert
from comptoir.catalog.models import (
    Category,
    Packaging,
    Product,
    ProductDocument,
    ProductImage,
)
from comptoir.catalog.search import refresh_search_text
from comptoir.catalog.services import document_file_set, image_files_set
from comptoir.core.logo import store_logo_set
from comptoir.core.models import Store
from comptoir.core.money import ZERO, round2, round4
from comptoir.core.selectors import store_today
from comptoir.core.versioned_cache import bump
from comptoir.customers.models import (
    Address,
    Company,
    CustomerGroup,
    SegmentationCondition,
    SegmentationRule,
)
from comptoir.ordering.models import GroupOrderRule, Order, OrderLine, OrderTaxLine
from comptoir.ordering.placement import raise_order_counters
from comptoir.payments.invoice_rules import invoice_status
from comptoir.payments.invoicing import (
    line_snapshot,
    raise_invoice_counters,
    seller_snapshot,
    tax_snapshot,
    terms,
)
from comptoir.payments.models import (
    Invoice,
    InvoicePayment,
    InvoiceStatus,
    PaymentMethod,
    ShippingMethod,
)
from comptoir.payments.rules import due_date
from comptoir.pricing.models import PackagingPrice, PriceList, Promotion, VolumeDiscountTier
from comptoir.pricing.services import price_entries_sync
from comptoir.storefront.models import Banner
from comptoir.tax.engine import REVERSE_CHARGE, REVERSE_CHARGE_MENTION
from comptoir.tax.models import TaxCertificate, TaxRate
from comptoir.tax.rules import default_expiry

CHUNK = 2000
Progress = Callable[[str], None]


def load_store(path: Path | str, progress: Progress = lambda message: None) -> dict[str, int]:
    """Validates then writes a bundle, a JSON file or a zip (sources.py); all or nothing.
    Returns the number of items per section."""
    with open_bundle(path) as source:
        reader = BundleReader(source)
        progress("checking the bundle")
        index = validate_bundle(reader, progress)
        try:
            with transaction.atomic():
                counts = _Writer(reader, index, progress).write()
                # bulk_create and bulk_update send no signals: one bump for the whole load.
                bump()
                return counts
        except IntegrityError as exc:
            raise BundleError([f"(database): the bundle breaks a database rule: {exc}"]) from exc


def _region(value):
    return value or ""


def _chunks(iterable, size=CHUNK):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Writer:
    def __init__(self, reader: BundleReader, index: Index, progress: Progress):
        self.reader = reader
        self.index = index
        self.progress = progress
        self.counts: dict[str, int] = {}

    def items(self, section):
        return [item for item in self.index.sections.get(section, []) if item is not None]

    def codes(self, model, field="code"):
        return dict(model.objects.values_list(field, "id"))

    def write(self) -> dict[str, int]:
        self.write_categories()
        self.write_groups()
        self.write_products()
        if family_bundle.SECTION in self.index.present:
            self.counts[family_bundle.SECTION] = family_bundle.write_families(
                self.items(family_bundle.SECTION), translation_bundle.base_language(self.index)
            )
        self.write_price_lists()
        if "roles" in self.index.present:
            self.counts["roles"] = team_writer.write_roles(self.items("roles"))
        self.write_companies()
        self.write_product_visibility()
        self.write_group_children()
        self.write_promotions()
        self.write_tax_rates()
        self.write_methods("payment_methods", PaymentMethod)
        self.write_methods("shipping_methods", ShippingMethod)
        self.write_segmentation_rules()
        self.write_banners()
        self.write_store()
        self.counts |= approval_writer.write_company_approvals(self.index.approvals)
        self.write_orders()
        # Quotes before the approval requests that name them.
        if quote_bundle.SECTION in self.index.present:
            self.counts["quotes"] = quote_bundle.write_quotes(
                self.reader, self.index, self.store_currency(), self.progress
            )
        if "approval_requests" in self.index.present:
            self.counts["approval_requests"] = approval_writer.write_requests(
                self.reader.items("approval_requests"), self.store_currency(), self.progress
            )
        if return_bundle.SECTION in self.index.present:
            self.counts["returns"] = return_bundle.write_returns(self.reader, self.progress)
        return self.counts

    def write_categories(self):
        items = self.items("categories")
        self.counts["categories"] = len(items)
        base = translation_bundle.base_language(self.index)
        upsert(
            Category,
            ("code",),
            {
                (c.code,): {
                    "name": c.name,
                    "position": c.position,
                    **translation_bundle.values(c.translations, Category, base),
                }
                for c in items
            },
        )
        ids = self.codes(Category)
        upsert(
            Category,
            ("code",),
            {(c.code,): {"parent_id": ids[c.parent] if c.parent else None} for c in items},
        )
        attribute_bundle.write_category_attributes(items, ids, base)

    def write_groups(self):
        items = self.items("groups")
        self.counts["groups"] = len(items)
        upsert(
            CustomerGroup,
            ("code",),
            {
                (g.code,): {
                    "name": g.name,
                    "min_order_amount": g.min_order_amount,
                    "tax_exempt": g.tax_exempt,
                    "limit_catalog": g.catalog_categories is not None,
                }
                for g in items
            },
        )
        groups, categories = self.codes(CustomerGroup), self.codes(Category)
        sync_m2m(
            CustomerGroup,
            "catalog_categories",
            {groups[g.code]: {categories[c] for c in g.catalog_categories or []} for g in items},
        )

    def write_products(self):
        if "products" not in self.index.present:
            return
        categories = self.codes(Category)
        base = translation_bundle.base_language(self.index)
        self.visibility: dict[str, tuple[str, list[str]]] = {}
        count = 0
        for chunk in _chunks(self.reader.items("products")):
            products = [schema.ProductItem.model_validate(raw) for raw in chunk]
            rows = {}
            for product in products:
                rows[(product.sku,)] = {
                    "name": product.name,
                    "description": product.description,
                    "category_id": categories[product.category] if product.category else None,
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
                    **translation_bundle.values(product.translations, Product, base),
                }
                listed = product.groups if product.visibility == "groups" else product.companies
                self.visibility[product.sku] = (product.visibility, listed)
            ids = upsert(Product, ("sku",), rows)
            _write_packagings(
                {ids[(p.sku,)]: p.packagings for p in products if p.packagings is not None}
            )
            _write_images(
                self.reader.source,
                {ids[(p.sku,)]: p.images for p in products if p.images is not None},
                base,
            )
            _write_documents(
                self.reader.source,
                {ids[(p.sku,)]: p.documents for p in products if p.documents is not None},
            )
            attribute_bundle.write_product_attributes(
                {
                    ids[(p.sku,)]: (
                        p.attributes,
                        attribute_bundle.translated_values(
                            p.attributes, p.attribute_translations, base
                        ),
                    )
                    for p in products
                    if p.attributes is not None
                }
            )
            # bulk writes send no signals: the search text follows here (catalog/search.py)
            refresh_search_text(ids.values())
            count += len(products)
            self.progress(f"products: {count}")
        self.counts["products"] = count

    def write_price_lists(self):
        if "price_lists" not in self.index.present:
            return
        parents = {}
        count = entries = 0
        product_ids = dict(Product.objects.values_list("sku", "id"))
        for raw in self.reader.items("price_lists"):
            # Checked whole by the first pass: here the header is parsed again, the entries
            # (millions in a real catalogue) are read as plain tuples.
            price_list = schema.PriceListHeader.model_validate(
                {key: value for key, value in raw.items() if key != "entries"}
            )
            ids = upsert(
                PriceList,
                ("code",),
                {
                    (price_list.code,): {
                        "name": price_list.name,
                        "currency": price_list.currency,
                        "priority": price_list.priority,
                        "valid_from": price_list.valid_from,
                        "valid_until": price_list.valid_until,
                    }
                },
            )
            parents[(price_list.code,)] = (price_list.parent, price_list.adjustment_percent)
            wanted, packaged = {}, []
            for entry in raw.get("entries") or ():
                # `or`: a null is absent (API.md §2.1), as in the schema.
                key = (product_ids[entry["sku"]], entry.get("min_qty") or 1)
                if entry.get("unit"):
                    packaged.append((key, entry["unit"].strip().lower(), Decimal(entry["price"])))
                else:
                    wanted[key] = Decimal(entry["price"])
            price_entries_sync(list_id=ids[(price_list.code,)], wanted=wanted)
            _write_packaging_prices(ids[(price_list.code,)], packaged)
            count += 1
            entries += len(wanted) + len(packaged)
            self.progress(f"price lists: {count} ({entries} entries)")
        lists = self.codes(PriceList)
        upsert(
            PriceList,
            ("code",),
            {
                key: {
                    "parent_id": lists[parent] if parent else None,
                    "adjustment_percent": adjustment,
                }
                for key, (parent, adjustment) in parents.items()
            },
        )
        self.counts["price_lists"] = count
        self.counts["price_entries"] = entries

    def write_companies(self):
        items = self.items("companies")
        self.counts["companies"] = len(items)
        groups, lists = self.codes(CustomerGroup), self.codes(PriceList)
        default_group = self.default_group_id(groups)
        ids = upsert(
            Company,
            ("code",),
            {
                (c.code,): {
                    "name": c.name,
                    "group_id": groups[c.group] if c.group else default_group,
                    "pinned_group": c.pinned_group,
                    "status": c.status,
                    "country": c.country,
                    "region": _region(c.region),
                    "vat_number": c.vat_number,
                    "credit_limit": c.credit_limit,
                    "rejection_reason": c.rejection_reason,
                }
                for c in items
            },
        )
        company_ids = [ids[(c.code,)] for c in items]
        sync_m2m(
            PriceList,
            "companies",
            {ids[(c.code,)]: {lists[code] for code in c.price_lists} for c in items},
            from_target=True,
        )
        sync_children(
            Address,
            "company_id",
            company_ids,
            ("code",),
            [
                {
                    "company_id": ids[(c.code,)],
                    "code": a.code,
                    "position": position,
                    "line1": a.line1,
                    "line2": a.line2,
                    "city": a.city,
                    "postal_code": a.postal_code,
                    "country": a.country,
                    "region": _region(a.region),
                }
                for c in items
                for position, a in enumerate(c.addresses)
            ],
        )
        sync_children(
            TaxCertificate,
            "company_id",
            company_ids,
            ("number",),
            [
                {
                    "company_id": ids[(c.code,)],
                    "number": t.number,
                    "country": t.country,
                    "region": _region(t.region),
                    "issued_on": t.issued_on,
                    "expires_on": t.expires_on or default_expiry(t.issued_on),
                    "status": t.status,
                    "rejection_reason": t.rejection_reason,
                }
                for c in items
                for t in c.tax_certificates
            ],
        )
        team_writer.write_locations(items, ids)
        user_ids = self.write_users(items, ids)
        team_writer.write_user_locations(items, ids, user_ids)
        sales_bundle.write_representatives(items, ids)

    def default_group_id(self, groups):
        if self.index.store is not None:
            return groups[self.index.store.default_group]
        store = Store.objects.first()
        return store.default_group_id if store else None

    def write_users(self, companies, company_ids):
        users = {
            (u.email.lower(),): (company_ids[(c.code,)], u) for c in companies for u in c.users
        }
        current = {
            (email,): password
            for email, password in User.objects.filter(email__in=[k[0] for k in users]).values_list(
                "email", "password"
            )
        }
        rows = {}
        for key, (company_id, user) in users.items():
            password = current.get(key)
            if user.password_hash is not None:
                password = user.password_hash
            elif password is None or not check_password(user.password, password):
                password = make_password(user.password)
            rows[key] = {
                "company_id": company_id,
                "role": user.role,
                "all_locations": user.locations is None,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "password": password,
            }
        self.counts["users"] = len(rows)
        return upsert(User, ("email",), rows)

    def write_product_visibility(self):
        if "products" not in self.index.present:
            return
        products = self.codes(Product, "sku")
        groups, companies = self.codes(CustomerGroup), self.codes(Company)
        for field, kind, ids in (
            ("visible_groups", "groups", groups),
            ("visible_companies", "companies", companies),
        ):
            desired = {
                products[sku]: {ids[code] for code in listed} if visibility == kind else set()
                for sku, (visibility, listed) in self.visibility.items()
            }
            sync_m2m(Product, field, desired)

    def write_group_children(self):
        items = self.items("groups")
        groups = self.codes(CustomerGroup)
        group_ids = [groups[g.code] for g in items]
        lists = self.codes(PriceList)
        sync_m2m(
            PriceList,
            "customer_groups",
            {groups[g.code]: {lists[code] for code in g.price_lists} for g in items},
            from_target=True,
        )
        sync_children(
            VolumeDiscountTier,
            "customer_group_id",
            group_ids,
            ("min_total_qty",),
            [
                {
                    "customer_group_id": groups[g.code],
                    "min_total_qty": tier.min_total_qty,
                    "percent": tier.percent,
                }
                for g in items
                for tier in g.volume_discounts
            ],
        )
        skus = {rule.sku for g in items for rule in g.order_rules}
        products = dict(Product.objects.filter(sku__in=skus).values_list("sku", "id"))
        sync_children(
            GroupOrderRule,
            "customer_group_id",
            group_ids,
            ("product_id",),
            [
                {
                    "customer_group_id": groups[g.code],
                    "product_id": products[rule.sku],
                    "min_qty": rule.min_qty,
                    "max_qty": rule.max_qty,
                    "qty_step": rule.qty_step,
                }
                for g in items
                for rule in g.order_rules
            ],
        )

    def write_banners(self):
        items = self.items("banners")
        self.counts["banners"] = len(items)
        ids = upsert(
            Banner,
            ("code",),
            {
                (b.code,): {
                    "kind": b.kind,
                    "title": b.title,
                    "body": b.body,
                    "link_url": b.link_url,
                    "language": b.language,
                    "valid_from": b.valid_from,
                    "valid_until": b.valid_until,
                    "position": b.position,
                    "active": b.active,
                }
                for b in items
            },
        )
        groups = self.codes(CustomerGroup)
        sync_m2m(
            Banner,
            "customer_groups",
            {ids[(b.code,)]: {groups[code] for code in b.groups} for b in items},
        )

    def write_promotions(self):
        items = self.items("promotions")
        self.counts["promotions"] = len(items)
        base = translation_bundle.base_language(self.index)
        ids = upsert(
            Promotion,
            ("code",),
            {
                (p.code,): {
                    "name": p.name,
                    "percent": p.percent,
                    "valid_from": p.valid_from,
                    "valid_until": p.valid_until,
                    **translation_bundle.values(p.translations, Promotion, base),
                }
                for p in items
            },
        )
        groups, categories = self.codes(CustomerGroup), self.codes(Category)
        skus = {sku for p in items for sku in p.skus}
        products = dict(Product.objects.filter(sku__in=skus).values_list("sku", "id"))
        for field, lookup, attribute in (
            ("customer_groups", groups, "groups"),
            ("products", products, "skus"),
            ("categories", categories, "categories"),
        ):
            sync_m2m(
                Promotion,
                field,
                {ids[(p.code,)]: {lookup[code] for code in getattr(p, attribute)} for p in items},
            )

    def write_tax_rates(self):
        items = self.items("tax_rates")
        self.counts["tax_rates"] = len(items)
        upsert(
            TaxRate,
            ("country", "region", "tax_class"),
            {(r.country, _region(r.region), r.tax_class): {"rate": r.rate} for r in items},
        )

    def write_methods(self, section, model):
        items = self.items(section)
        self.counts[section] = len(items)
        rows = {}
        base = translation_bundle.base_language(self.index)
        for method in items:
            conditions = method.conditions
            values = {
                **translation_bundle.values(method.translations, model, base),
                "name": method.name,
                "active": method.active,
                "position": method.position,
                "countries": sorted(conditions.countries) if conditions.countries else None,
                "min_total": conditions.min_total,
                "max_total": conditions.max_total,
            }
            if model is PaymentMethod:
                values.update(
                    type=method.type,
                    net_days=method.net_days,
                    term_rule=method.term_rule,
                    without_credit_limit=method.without_credit_limit,
                    instructions=method.instructions,
                )
            else:
                values.update(price=method.price, free_above=method.free_above)
            rows[(method.code,)] = values
        ids = upsert(model, ("code",), rows)
        groups, companies = self.codes(CustomerGroup), self.codes(Company)
        for field, lookup, attribute in (
            ("customer_groups", groups, "groups"),
            ("companies", companies, "companies"),
            ("excluded_companies", companies, "excluded_companies"),
        ):
            sync_m2m(
                model,
                field,
                {
                    ids[(m.code,)]: {
                        lookup[code] for code in getattr(m.conditions, attribute) or []
                    }
                    for m in items
                },
            )

    def write_segmentation_rules(self):
        items = self.items("segmentation_rules")
        self.counts["segmentation_rules"] = len(items)
        groups = self.codes(CustomerGroup)
        ids = upsert(
            SegmentationRule,
            ("position",),
            {(r.position,): {"group_id": groups[r.group], "active": r.active} for r in items},
        )
        sync_children(
            SegmentationCondition,
            "rule_id",
            ids.values(),
            ("field", "op", "value"),
            [
                {
                    "rule_id": ids[(r.position,)],
                    "field": c.field,
                    "op": c.op,
                    "value": ",".join(c.value) if isinstance(c.value, list) else c.value,
                }
                for r in items
                for c in r.conditions
            ],
        )

    def write_store(self):
        store = self.index.store
        if store is None:
            return
        upsert(
            Store,
            ("id",),
            {
                (1,): {
                    "name": store.name,
                    "currency": store.currency,
                    "country": store.country,
                    "region": _region(store.region),
                    "access_mode": store.access_mode,
                    "min_order_amount": store.min_order_amount,
                    "default_group_id": self.codes(CustomerGroup)[store.default_group],
                    "base_price_list_id": (
                        self.codes(PriceList)[store.base_price_list]
                        if store.base_price_list
                        else None
                    ),
                    "time_zone": store.time_zone,
                    "legal_notice": store.legal_notice,
                    "invoice_on": store.invoice_on,
                    "block_overdue_invoice_terms": store.block_overdue_invoice_terms,
                    "return_window_days": store.return_window_days,
                    "legal_address": store.legal_address,
                    "vat_number": store.vat_number,
                    "iban": store.iban,
                    "bic": store.bic,
                    "late_payment_penalty_rate": store.late_payment_penalty_rate,
                    "approval_valid_days": store.approval_valid_days,
                    **({"language": store.language} if store.language is not None else {}),
                }
            },
        )
        if store.logo is not None:
            _write_logo(self.reader.source, store.logo)

    def write_orders(self):
        if "orders" not in self.index.present:
            return
        companies = self.codes(Company)
        users = dict(User.objects.values_list("email", "id"))
        locations = team_writer.LocationIds()
        currency = self.store_currency()
        method_names = {
            "payment": dict(PaymentMethod.objects.values_list("code", "name")),
            "shipping": dict(ShippingMethod.objects.values_list("code", "name")),
        }
        count = 0
        for chunk in _chunks(self.reader.items("orders"), 500):
            orders = [schema.OrderItem.model_validate(raw) for raw in chunk]
            rows, lines, tax_lines = {}, [], []
            for order in orders:
                rows[(order.number,)], order_lines, order_tax = _order_values(
                    order, companies, users, currency, method_names
                )
                rows[(order.number,)]["location_id"] = locations.of(order.company, order.location)
                lines.append((order.number, order_lines))
                tax_lines.append((order.number, order_tax))
            ids = upsert(Order, ("number",), rows)
            self.write_order_children(ids, lines, tax_lines)
            self.write_invoices(orders, ids, rows, lines, tax_lines)
            count += len(orders)
            self.progress(f"orders: {count}")
        self.counts["orders"] = count
        raise_invoice_counters()

    def store_currency(self):
        if self.index.store is not None:
            return self.index.store.currency
        store = Store.objects.first()
        return store.currency if store else "EUR"

    def write_order_children(self, ids, lines, tax_lines):
        skus = {line["sku"] for _, order_lines in lines for line in order_lines}
        products = {
            sku: (product_id, category or "", tax_class, unit)
            for sku, product_id, category, tax_class, unit in Product.objects.filter(
                sku__in=skus
            ).values_list("sku", "id", "category__code", "tax_class", "unit")
        }
        rows = []
        for number, order_lines in lines:
            for line in order_lines:
                product_id, category, tax_class, unit = products.get(
                    line["sku"], (None, "", "", "")
                )
                # The line's unit, which the invoice written next copies: a packaging's, with
                # the quantity in the product's unit, or the product's own.
                packaged = line.pop("packaged", None)
                line["unit"], line["base_quantity"], line["base_unit"] = (
                    (packaged[0], packaged[1], unit) if packaged else (unit, None, "")
                )
                rows.append(
                    {
                        **line,
                        "order_id": ids[(number,)],
                        "product_id": product_id,
                        "category_code": line["category_code"] or category,
                        "tax_class": line["tax_class"] or tax_class,
                    }
                )
        sync_children(OrderLine, "order_id", ids.values(), ("position",), rows)
        sync_children(
            OrderTaxLine,
            "order_id",
            ids.values(),
            ("rate", "reason"),
            [
                {**tax_line, "order_id": ids[(number,)]}
                for number, order_tax in tax_lines
                for tax_line in order_tax
            ],
        )
        raise_order_counters()

    def write_invoices(self, orders, ids, rows, lines, tax_lines):
        """The invoices of these orders: created with copies of the order, the store and the
        company; an invoice already there keeps its copies, and only its payments (the
        whole list) and what they make of it follow the bundle."""
        invoiced = [order for order in orders if order.invoice is not None]
        if not invoiced:
            return
        store = Store.objects.first() or Store(name="")  # a bundle of orders only
        today = store_today(store)
        lines, tax_lines = dict(lines), dict(tax_lines)
        companies = {
            company.code: company
            for company in Company.objects.filter(code__in={o.company for o in invoiced})
        }
        methods = {method.code: method for method in PaymentMethod.objects.all()}
        existing = set(
            Invoice.objects.filter(number__in=[o.invoice.number for o in invoiced]).values_list(
                "number", flat=True
            )
        )
        values = {}
        for order in invoiced:
            row = rows[(order.number,)]
            invoice = order.invoice
            paid = invoice.amount_paid
            method = methods.get(order.payment_method)
            issued_on = (
                invoice.issued_on or row["placed_at"].astimezone(ZoneInfo(store.time_zone)).date()
            )
            net_days = method.net_days if method else None
            term_rule = method.term_rule if method else "net"
            due_on = invoice.due_on or due_date(terms(net_days, term_rule), issued_on)
            status = (
                InvoiceStatus.CANCELLED
                if order.status == "cancelled"
                else invoice_status(
                    total=row["total"], amount_paid=paid, due_on=due_on, today=today
                )
            )
            values[(invoice.number,)] = {"amount_paid": paid, "status": status}
            if invoice.number in existing:
                continue
            company = companies[order.company]
            values[(invoice.number,)] |= {
                "order_id": ids[(order.number,)],
                "company_id": company.pk,
                "issued_on": issued_on,
                "due_on": due_on,
                "payment_method_code": order.payment_method,
                "payment_method_name": row["payment_method_name"],
                "payment_type": method.type if method else "",
                "net_days": net_days,
                "term_rule": term_rule,
                "payment_instructions": method.instructions if method else "",
                **seller_snapshot(store),
                "buyer_name": company.name,
                "buyer_code": company.code,
                "buyer_vat_number": company.vat_number,
                "billing_address": row["billing_address"],
                "po_number": order.po_number,
                "currency": row["currency"],
                "subtotal": row["subtotal"],
                "discount_total": row["discount_total"],
                "shipping_total": row["shipping_total"],
                "tax_total": row["tax_total"],
                "total": row["total"],
                "lines": [
                    line_snapshot(
                        sku=line["sku"],
                        name=line["name"],
                        quantity=line["quantity"],
                        unit=line["unit"],
                        unit_price=round4(line["unit_price"]),
                        gross=line["gross"],
                        discount=line["promotion_amount"] + line["volume_amount"],
                        net=line["net"],
                        tax_rate=round4(line["tax_rate"]),
                        base_quantity=line["base_quantity"],
                        base_unit=line["base_unit"],
                    )
                    for line in lines[order.number]
                ],
                "tax_mention": REVERSE_CHARGE_MENTION
                if any(tax["reason"] == REVERSE_CHARGE for tax in tax_lines[order.number])
                else "",
                "tax_lines": [
                    tax_snapshot(
                        rate=round4(tax["rate"]),
                        base=tax["base"],
                        amount=tax["amount"],
                        reason=tax["reason"],
                    )
                    for tax in tax_lines[order.number]
                ],
            }
        # Existing invoices first: their rows need no copies, new ones need them all.
        upsert(Invoice, ("number",), {k: v for k, v in values.items() if k[0] in existing})
        invoice_ids = upsert(
            Invoice, ("number",), {k: v for k, v in values.items() if k[0] not in existing}
        )
        invoice_ids |= dict(
            ((number,), pk)
            for number, pk in Invoice.objects.filter(number__in=existing).values_list(
                "number", "id"
            )
        )
        sync_children(
            InvoicePayment,
            "invoice_id",
            invoice_ids.values(),
            ("paid_on", "amount", "method", "reference"),
            [
                {
                    "invoice_id": invoice_ids[(order.invoice.number,)],
                    "paid_on": payment.paid_on,
                    "amount": payment.amount,
                    "method": payment.method,
                    "reference": payment.reference,
                }
                for order in invoiced
                for payment in order.invoice.payments
            ],
        )
        load_credits(invoiced, invoice_ids, today)


def _address(address):
    return {
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "postal_code": address.postal_code,
        "country": address.country,
        "region": address.region,
    }


def _order_values(order, companies, users, currency, method_names):
    """The order row, its lines and tax lines, with the derived amounts of DESIGN.md "Rounding"."""
    lines = []
    for position, line in enumerate(order.lines):
        gross = round2(line.unit_price * line.qty)
        lines.append(
            {
                "position": position,
                "sku": line.sku,
                "name": line.name,
                "category_code": line.category or "",
                "quantity": line.qty,
                "packaged": (line.unit.strip().lower(), line.base_qty) if line.unit else None,
                "unit_price": line.unit_price,
                "gross": gross,
                "promotion_percent": line.promotion_percent,
                "promotion_amount": line.promotion,
                "volume_percent": line.volume_percent,
                "volume_amount": line.volume,
                "net": gross - line.promotion - line.volume,
                "tax_class": line.tax_class or "",
                "tax_rate": line.tax_rate,
                "explanation": [],
            }
        )
    tax_lines = [
        {"rate": t.rate, "base": t.base, "amount": t.amount, "reason": t.reason or ""}
        for t in order.tax_lines
    ]
    subtotal = sum((line["gross"] for line in lines), start=ZERO)
    discounts = sum(
        (line["promotion_amount"] + line["volume_amount"] for line in lines), start=ZERO
    )
    tax_total = sum((t["amount"] for t in tax_lines), start=ZERO)
    shipping = _address(order.shipping_address)
    values = {
        "company_id": companies[order.company],
        "buyer_id": users.get(order.buyer.lower()) if order.buyer else None,
        "placed_by_id": users.get(order.placed_by.lower()) if order.placed_by else None,
        "status": order.status,
        "payment_status": order.payment_status,
        "placed_at": order.placed_at,
        "delivered_on": order.delivered_on,
        # A loaded order was confirmed where it came from: the confirmation sweep skips it.
        "confirmation_sent_at": order.placed_at,
        "currency": order.currency or currency,
        "po_number": order.po_number,
        "comment": order.comment,
        "payment_method_code": order.payment_method,
        "payment_method_name": method_names["payment"].get(order.payment_method, ""),
        "shipping_method_code": order.shipping_method,
        "shipping_method_name": method_names["shipping"].get(order.shipping_method, ""),
        "shipping_address": shipping,
        "billing_address": _address(order.billing_address) if order.billing_address else shipping,
        "subtotal": subtotal,
        "discount_total": discounts,
        "shipping_total": order.shipping_total,
        "tax_total": tax_total,
        "total": subtotal - discounts + order.shipping_total + tax_total,
    }
    return values, lines, tax_lines


def _write_logo(source, relative: str) -> None:
    """The store's logo from the file the bundle names (checked in the first pass); the same
    file as last time keeps its rendition."""
    data, _problem = image_data(source, relative)
    store = Store.objects.get()
    if store.logo and store.logo_sha256 == hashlib.sha256(data).hexdigest():
        return
    store_logo_set(store, data)
    store.save(update_fields=["logo", "logo_width", "logo_height", "logo_sha256"])


def _write_images(source, wanted: dict[int, list], base: str) -> None:
    """The listed products' pictures as the bundle says, in its order. A product whose
    pictures are the same files with the same texts keeps them (a bundle loaded again makes
    no new renditions); otherwise they are replaced. The files were checked in the first
    pass; renditions written by a load that then fails stay unused under generated names."""
    existing: dict[int, list] = {}
    for image in ProductImage.objects.filter(product_id__in=wanted):
        existing.setdefault(image.product_id, []).append(image)
    for product_id, items in wanted.items():
        files = [image_data(source, item.path)[0] for item in items]
        digests = [hashlib.sha256(data).hexdigest() for data in files]
        have = existing.get(product_id, [])
        if [(i.source_sha256, i.alt) for i in have] == list(
            zip(digests, (item.alt.strip() for item in items), strict=True)
        ):
            for image, item in zip(have, items, strict=True):
                if item.translations is not None:
                    image.translations = translation_bundle.cleaned(
                        item.translations, ProductImage, base
                    )
                    image.save(update_fields=["translations"])
            continue
        ProductImage.objects.filter(product_id=product_id).delete()
        for position, (item, data) in enumerate(zip(items, files, strict=True)):
            image = ProductImage(
                product_id=product_id,
                alt=item.alt.strip(),
                position=position,
                translations=translation_bundle.cleaned(item.translations, ProductImage, base),
            )
            image_files_set(image, data)
            image.save()


def _write_documents(source, wanted: dict[int, list]) -> None:
    """The listed products' documents as the bundle says, kept when unchanged (as pictures)."""
    existing: dict[int, list] = {}
    for document in ProductDocument.objects.filter(product_id__in=wanted):
        existing.setdefault(document.product_id, []).append(document)
    for product_id, items in wanted.items():
        files = [document_data(source, item.path)[0] for item in items]
        wanted_rows = [
            (hashlib.sha256(data).hexdigest(), item.title.strip(), item.kind)
            for item, data in zip(items, files, strict=True)
        ]
        have = existing.get(product_id, [])
        if [(d.source_sha256, d.title, d.kind) for d in have] == wanted_rows:
            continue
        ProductDocument.objects.filter(product_id=product_id).delete()
        for position, (item, data) in enumerate(zip(items, files, strict=True)):
            document = ProductDocument(
                product_id=product_id, title=item.title.strip(), kind=item.kind, position=position
            )
            document_file_set(document, data)
            document.save()


def _write_packagings(wanted: dict[int, list]) -> None:
    """The listed products' packagings as the bundle says; one it no longer lists is switched
    off, not deleted: carts, approval requests and orders may refer to it."""
    if not wanted:
        return
    rows = {
        (product_id, item.unit.strip().lower()): {
            "factor": item.factor,
            "enabled": item.enabled,
            "percent_off": item.percent_off,
            "min_qty": item.min_qty,
            "max_qty": item.max_qty,
            "qty_step": item.qty_step,
        }
        for product_id, items in wanted.items()
        for item in items
    }
    fields = ("factor", "enabled", "percent_off", "min_qty", "max_qty", "qty_step")
    existing = {
        (row["product_id"], row["unit"]): row
        for row in Packaging.objects.filter(product_id__in=list(wanted)).values(
            "id", "product_id", "unit", *fields
        )
    }
    to_create, to_update = [], []
    for key, row in existing.items():
        values = rows.get(key, {**row, "enabled": False})
        if any(row[name] != values[name] for name in fields):
            to_update.append(Packaging(id=row["id"], **{name: values[name] for name in fields}))
    for (product_id, unit), values in rows.items():
        if (product_id, unit) not in existing:
            to_create.append(Packaging(product_id=product_id, unit=unit, **values))
    Packaging.objects.bulk_create(to_create)
    Packaging.objects.bulk_update(to_update, fields)


def _write_packaging_prices(list_id: int, wanted: list[tuple[tuple[int, int], str, Decimal]]):
    """The list's own packaging prices, exactly these ((product id, min qty), unit, price)."""
    packagings = dict(
        ((product_id, unit), pk)
        for pk, product_id, unit in Packaging.objects.filter(
            product_id__in={product_id for (product_id, _), _, _ in wanted}
        ).values_list("pk", "product_id", "unit")
    )
    sync_children(
        PackagingPrice,
        "price_list_id",
        [list_id],
        ("packaging_id", "min_qty"),
        [
            {
                "price_list_id": list_id,
                "packaging_id": packagings[(product_id, unit)],
                "min_qty": min_qty,
                "price": price,
            }
            for (product_id, min_qty), unit, price in wanted
        ],
    )
