"""First pass over a bundle: every item validated, every cross-reference checked, nothing written.

A reference may name something defined in the bundle or already in the database, so a
bundle can carry a whole store or just one price list.
"""

from dataclasses import dataclass, field
from zoneinfo import available_timezones

from django.contrib.auth.hashers import identify_hasher
from pydantic import ValidationError

from comptoir.accounts.models import User
from comptoir.bundle import (
    approval_checks,
    attribute_bundle,
    family_bundle,
    quote_bundle,
    return_bundle,
    sales_bundle,
    schema,
    team_checks,
    translation_bundle,
)
from comptoir.bundle.errors import ErrorCollector
from comptoir.bundle.image_files import document_data, image_data
from comptoir.bundle.reader import BundleReader
from comptoir.catalog.models import (
    AttributeDefinition,
    Category,
    Packaging,
    Product,
    ProductImage,
    packaging_rules,
)
from comptoir.catalog.selectors import sku_key
from comptoir.core.geography import is_country, is_currency, is_region
from comptoir.core.models import Store
from comptoir.core.tax_ids import tax_number_problem
from comptoir.core.trees import has_cycle
from comptoir.credits.models import CreditNote
from comptoir.customers.models import Company, CustomerGroup
from comptoir.ordering.rules import (
    MAX_BELOW_MIN,
    MAX_NOT_MULTIPLE,
    MIN_NOT_MULTIPLE,
    overridden_rules,
    rule_problems,
)
from comptoir.payments.models import Invoice, PaymentMethod, ShippingMethod
from comptoir.pricing.engine import QuantityRules
from comptoir.pricing.models import PriceList, Promotion

NUMERIC_PROFILE_FIELDS = {
    "order_volume_12m",
    "order_count_12m",
    "avg_days_between_orders",
    "units_12m",
    "days_since_last_order",
}


@dataclass
class Index:
    """What the first pass learnt: the small sections, validated, and the keys of the big ones."""

    present: set[str]
    store: schema.StoreItem | None = None
    sections: dict[str, list] = field(default_factory=dict)
    skus: dict[str, tuple[int, int, int | None]] = field(default_factory=dict)
    price_list_currency: dict[str, str] = field(default_factory=dict)
    packagings: dict[str, set[str]] = field(default_factory=dict)
    """Packaging units by SKU: the bundle's products that list them, else the database's."""
    order_numbers: set[str] = field(default_factory=set)
    approvals: approval_checks.ApprovalIndex = field(default_factory=approval_checks.ApprovalIndex)


def validate_bundle(reader: BundleReader, progress=lambda message: None) -> Index:
    errors = ErrorCollector()
    index = Index(present=reader.check_top_level())
    known = _KnownKeys()
    if "store" in index.present:
        index.store = _validate_item(errors, ("store",), schema.StoreItem, reader.store())
    for name in (
        "tax_rates",
        "categories",
        "groups",
        "promotions",
        "roles",
        "companies",
        "payment_methods",
        "shipping_methods",
        "segmentation_rules",
        "banners",
        family_bundle.SECTION,
    ):
        index.sections[name] = _validate_section(errors, reader, name, index)
    _collect_products(errors, reader, index, known)
    _collect_price_lists(errors, reader, index)
    known.add_bundle(index)

    _check_store(errors, index, known, reader.source)
    _check_tax_rates(errors, index)
    _check_categories(errors, index, known)
    _check_groups(errors, index, known)
    _check_promotions(errors, index, known)
    team_checks.check_roles(errors, index.sections["roles"])
    _check_companies(errors, index, known)
    for name in ("payment_methods", "shipping_methods"):
        _check_methods(errors, index, known, name)
    index.approvals = approval_checks.check_company_approvals(errors, index, known)
    _check_segmentation(errors, index, known)
    _check_banners(errors, index, known)
    progress("checking products")
    _check_products(errors, reader, index, known)
    family_bundle.check_families(errors, index, known)
    _check_price_lists(errors, reader, index, known, progress)
    progress("checking orders")
    _check_orders(errors, reader, index, known)
    progress("checking approval requests")
    approval_checks.check_requests(errors, reader, index, known, _validate_item)
    progress("checking quotes")
    quote_bundle.check_quotes(errors, reader, index, known, _validate_item)
    progress("checking returns")
    return_bundle.check_returns(errors, reader, index, known, _validate_item)
    errors.raise_if_any()
    return index


class _KnownKeys:
    """Codes defined in the bundle or in the database, for reference checks."""

    def __init__(self):
        self.categories = set(Category.objects.values_list("code", flat=True))
        self.groups = set(CustomerGroup.objects.values_list("code", flat=True))
        self.companies = set(Company.objects.values_list("code", flat=True))
        self.price_lists = dict(PriceList.objects.values_list("code", "currency"))
        self.price_list_parents = dict(
            PriceList.objects.filter(parent__isnull=False).values_list("code", "parent__code")
        )
        self.user_companies = dict(User.objects.values_list("email", "company__code"))
        self.emails = set()

    def add_bundle(self, index: Index) -> None:
        self.categories |= {item.code for _, item in _valid(index.sections["categories"])}
        self.groups |= {item.code for _, item in _valid(index.sections["groups"])}
        self.companies |= {item.code for _, item in _valid(index.sections["companies"])}
        self.price_lists.update(index.price_list_currency)
        for _, company in _valid(index.sections["companies"]):
            self.emails |= {user.email.lower() for user in company.users}

    def has_sku(self, index: Index, sku: str) -> bool:
        return sku in index.skus or sku in self.db_skus

    @property
    def staff_emails(self) -> set[str]:
        """Staff accounts are made in the back office, never by a bundle: they must exist."""
        if not hasattr(self, "_staff_emails"):
            self._staff_emails = {
                email.lower()
                for email in User.objects.filter(is_staff=True).values_list("email", flat=True)
            }
        return self._staff_emails

    @property
    def db_skus(self) -> set[str]:
        if not hasattr(self, "_db_skus"):
            self._db_skus = set(Product.objects.values_list("sku", flat=True))
        return self._db_skus

    @property
    def db_sku_by_key(self) -> dict[str, str]:
        if not hasattr(self, "_db_sku_by_key"):
            self._db_sku_by_key = {sku_key(sku): sku for sku in self.db_skus}
        return self._db_sku_by_key


def _validate_item(errors, path, model, raw):
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors.add_validation_error(path, exc)
        return None


def _validate_section(errors, reader, name, index):
    if name not in index.present:
        return []
    items = []
    for position, raw in enumerate(reader.items(name)):
        item = _validate_item(errors, (name, position), schema.SECTIONS[name], raw)
        items.append(item)
    return items


def _valid(items):
    return ((position, item) for position, item in enumerate(items) if item is not None)


def _duplicates(errors, section, items, key, label):
    seen = {}
    for position, item in _valid(items):
        value = key(item)
        if value in seen:
            errors.add(
                f"{section}[{position}].{label}",
                f"duplicate {value!r} (also {section}[{seen[value]}])",
            )
        else:
            seen[value] = position


def _check_geo(errors, path, country, region):
    if not is_country(country):
        errors.add(f"{path}.country", f"{country!r} is not an ISO 3166 country code")
    elif region is not None and not is_region(country, region):
        errors.add(f"{path}.region", f"{region!r} is not a region of {country}")


def _check_refs(errors, path, codes, known, label):
    for position, code in enumerate(codes or []):
        if code not in known:
            errors.add(f"{path}[{position}]", f"unknown {label} {code!r}")


def _check_store(errors, index, known, source):
    store = index.store
    if store is None:
        return
    if store.logo is not None:
        _data, problem = image_data(source, store.logo)
        if problem:
            errors.add("store.logo", problem)
    if not is_currency(store.currency):
        errors.add("store.currency", f"{store.currency!r} is not an ISO 4217 currency code")
    _check_geo(errors, "store", store.country, store.region)
    if store.default_group not in known.groups:
        errors.add("store.default_group", f"unknown group {store.default_group!r}")
    if store.base_price_list is not None:
        currency = known.price_lists.get(store.base_price_list)
        if currency is None:
            errors.add("store.base_price_list", f"unknown price list {store.base_price_list!r}")
        elif currency != store.currency:
            errors.add(
                "store.base_price_list",
                f"{store.base_price_list} is in {currency}, the store sells in {store.currency}",
            )
    if store.time_zone not in available_timezones():
        errors.add("store.time_zone", f"{store.time_zone!r} is not a time zone")
    translation_bundle.check_store_language(errors, index)


def _check_tax_rates(errors, index):
    items = index.sections["tax_rates"]
    _duplicates(
        errors, "tax_rates", items, lambda r: (r.country, r.region, r.tax_class), "tax_class"
    )
    for position, rate in _valid(items):
        _check_geo(errors, f"tax_rates[{position}]", rate.country, rate.region)
        if not 0 <= rate.rate <= 100:
            errors.add(f"tax_rates[{position}].rate", "must be between 0 and 100")


def _check_categories(errors, index, known):
    items = index.sections["categories"]
    _duplicates(errors, "categories", items, lambda c: c.code, "code")
    parents = dict(Category.objects.values_list("code", "parent__code"))
    parents.update({c.code: c.parent for _, c in _valid(items)})
    base = translation_bundle.base_language(index)
    kept = attribute_bundle.KeptTranslations()
    for position, category in _valid(items):
        path = f"categories[{position}]"
        translation_bundle.check(errors, path, category.translations, Category, base)
        for number, attribute in enumerate(category.attributes or ()):
            where = f"{path}.attributes[{number}]"
            translation_bundle.check(
                errors, where, attribute.translations, AttributeDefinition, base
            )
            translation_bundle.check_choices(
                errors, where, attribute.translations, attribute.choices
            )
            if attribute.translations is None:
                kept.check(errors, where, category.code, attribute)
        if category.parent is not None and category.parent not in known.categories:
            errors.add(f"categories[{position}].parent", f"unknown category {category.parent!r}")
        elif has_cycle(category.code, parents):
            errors.add(f"categories[{position}].parent", "the category tree has a cycle here")
        attribute_bundle.check_category_attributes(errors, position, category)


def _check_groups(errors, index, known):
    items = index.sections["groups"]
    _duplicates(errors, "groups", items, lambda g: g.code, "code")
    for position, group in _valid(items):
        path = f"groups[{position}]"
        _check_refs(
            errors, f"{path}.price_lists", group.price_lists, known.price_lists, "price list"
        )
        _check_refs(
            errors,
            f"{path}.catalog_categories",
            group.catalog_categories,
            known.categories,
            "category",
        )
        _duplicates(
            errors,
            f"{path}.volume_discounts",
            group.volume_discounts,
            lambda tier: tier.min_total_qty,
            "min_total_qty",
        )
        _duplicates(errors, f"{path}.order_rules", group.order_rules, lambda r: r.sku, "sku")


def _check_group_rules(errors, index, known, product_rules):
    """Group overrides, with the product's own values where the override is null."""
    for position, group in _valid(index.sections["groups"]):
        for rule_position, rule in enumerate(group.order_rules):
            path = f"groups[{position}].order_rules[{rule_position}]"
            product = product_rules.get(rule.sku)
            if product is None:
                if not known.has_sku(index, rule.sku):
                    errors.add(f"{path}.sku", f"unknown SKU {rule.sku!r}")
                continue
            min_qty, step, max_qty = product
            rules = overridden_rules(
                QuantityRules(min_qty=min_qty, max_qty=max_qty, qty_step=step),
                min_qty=rule.min_qty,
                max_qty=rule.max_qty,
                qty_step=rule.qty_step,
            )
            _check_quantities(errors, path, rules)


RULE_MESSAGES = {
    MIN_NOT_MULTIPLE: "{min} is not a multiple of qty_step {step}",
    MAX_BELOW_MIN: "{max} is below min_qty {min}",
    MAX_NOT_MULTIPLE: "{max} is not a multiple of qty_step {step}",
}


def _check_quantities(errors, path, rules):
    """The rule the admin applies too (ordering/rules.py), in the bundle's words."""
    for problem in rule_problems(rules):
        errors.add(f"{path}.{problem.field}", RULE_MESSAGES[problem.code].format(**problem.params))


def _check_promotions(errors, index, known):
    items = index.sections["promotions"]
    _duplicates(errors, "promotions", items, lambda p: p.code, "code")
    base = translation_bundle.base_language(index)
    for position, promotion in _valid(items):
        path = f"promotions[{position}]"
        translation_bundle.check(errors, path, promotion.translations, Promotion, base)
        _check_refs(errors, f"{path}.groups", promotion.groups, known.groups, "group")
        _check_refs(
            errors, f"{path}.categories", promotion.categories, known.categories, "category"
        )
        for sku_position, sku in enumerate(promotion.skus):
            if not known.has_sku(index, sku):
                errors.add(f"{path}.skus[{sku_position}]", f"unknown SKU {sku!r}")
        if not promotion.skus and not promotion.categories:
            errors.add(path, "names no SKU and no category")
        _check_window(errors, path, promotion.valid_from, promotion.valid_until)


def _check_banners(errors, index, known):
    items = index.sections["banners"]
    _duplicates(errors, "banners", items, lambda b: b.code, "code")
    for position, banner in _valid(items):
        path = f"banners[{position}]"
        _check_refs(errors, f"{path}.groups", banner.groups, known.groups, "group")
        _check_window(errors, path, banner.valid_from, banner.valid_until)


def _check_window(errors, path, valid_from, valid_until):
    if valid_from and valid_until and valid_until < valid_from:
        errors.add(f"{path}.valid_until", f"{valid_until} is before valid_from {valid_from}")


def _check_companies(errors, index, known):
    items = index.sections["companies"]
    _duplicates(errors, "companies", items, lambda c: c.code, "code")
    emails = {}
    roles = team_checks.known_roles(index.sections["roles"])
    ordered = team_checks.locations_with_orders()
    for position, company in _valid(items):
        path = f"companies[{position}]"
        _check_geo(errors, path, company.country, company.region)
        if company.group is not None and company.group not in known.groups:
            errors.add(f"{path}.group", f"unknown group {company.group!r}")
        sales_bundle.check_representatives(
            errors, path, company.representatives, known.staff_emails
        )
        if company.group is None and "store" not in index.present and not Store.objects.exists():
            errors.add(f"{path}.group", "required when the store has no default group")
        if company.vat_number:
            problem = tax_number_problem(company.country, company.vat_number)
            if problem:
                errors.add(f"{path}.vat_number", problem)
        _check_refs(
            errors, f"{path}.price_lists", company.price_lists, known.price_lists, "price list"
        )
        _duplicates(errors, f"{path}.addresses", company.addresses, lambda a: a.code, "code")
        for address_position, address in enumerate(company.addresses):
            _check_geo(
                errors, f"{path}.addresses[{address_position}]", address.country, address.region
            )
        _duplicates(
            errors,
            f"{path}.tax_certificates",
            company.tax_certificates,
            lambda c: c.number,
            "number",
        )
        for cert_position, certificate in enumerate(company.tax_certificates):
            cert_path = f"{path}.tax_certificates[{cert_position}]"
            _check_geo(errors, cert_path, certificate.country, certificate.region)
            if (
                certificate.expires_on is not None
                and certificate.expires_on <= certificate.issued_on
            ):
                errors.add(f"{cert_path}.expires_on", "must be after issued_on")
        for user_position, user in enumerate(company.users):
            _check_user(errors, f"{path}.users[{user_position}]", user, company.code, emails, known)
        team_checks.check_company_team(errors, path, company, roles, ordered)


def _check_user(errors, path, user, company_code, emails, known):
    email = user.email.lower()
    if email in emails:
        errors.add(f"{path}.email", f"duplicate {email!r} (also {emails[email]})")
    emails[email] = path
    owner = known.user_companies.get(email, company_code)
    if owner != company_code:
        errors.add(
            f"{path}.email",
            f"{email} is already a user of {owner or 'the back office'}",
        )
    if (user.password is None) == (user.password_hash is None):
        errors.add(path, "give either password or password_hash")
    elif user.password_hash is not None:
        try:
            identify_hasher(user.password_hash)
        except ValueError:
            errors.add(f"{path}.password_hash", "not a Django password hash")


def _check_methods(errors, index, known, section):
    items = index.sections[section]
    _duplicates(errors, section, items, lambda m: m.code, "code")
    model = PaymentMethod if section == "payment_methods" else ShippingMethod
    base = translation_bundle.base_language(index)
    for position, method in _valid(items):
        path = f"{section}[{position}]"
        translation_bundle.check(errors, path, method.translations, model, base)
        if getattr(method, "type", None) == "invoice" and method.net_days is None:
            errors.add(f"{path}.net_days", "required for an invoice method")
        conditions = method.conditions
        cond_path = f"{path}.conditions"
        for name in ("countries", "groups", "companies", "excluded_companies"):
            if getattr(conditions, name) == []:
                errors.add(f"{cond_path}.{name}", "use null for no restriction, not an empty list")
        for country_position, country in enumerate(conditions.countries or []):
            if not is_country(country):
                errors.add(
                    f"{cond_path}.countries[{country_position}]",
                    f"{country!r} is not a country code",
                )
        _check_refs(errors, f"{cond_path}.groups", conditions.groups, known.groups, "group")
        for name in ("companies", "excluded_companies"):
            _check_refs(
                errors, f"{cond_path}.{name}", getattr(conditions, name), known.companies, "company"
            )
        if (
            conditions.min_total is not None
            and conditions.max_total is not None
            and conditions.max_total < conditions.min_total
        ):
            errors.add(f"{cond_path}.max_total", "is below min_total")


def _check_segmentation(errors, index, known):
    items = index.sections["segmentation_rules"]
    _duplicates(errors, "segmentation_rules", items, lambda r: r.position, "position")
    for position, rule in _valid(items):
        path = f"segmentation_rules[{position}]"
        if rule.group not in known.groups:
            errors.add(f"{path}.group", f"unknown group {rule.group!r}")
        for cond_position, condition in enumerate(rule.conditions):
            cond_path = f"{path}.conditions[{cond_position}].value"
            values = condition.value
            if (condition.op == "in") != isinstance(values, list):
                errors.add(cond_path, "a list with op 'in', a single value otherwise")
                continue
            if isinstance(values, list) and any("," in value for value in values):
                errors.add(cond_path, "values of a list cannot contain commas")
            if condition.field in NUMERIC_PROFILE_FIELDS:
                for value in values if isinstance(values, list) else [values]:
                    try:
                        schema.parse_decimal(value)
                    except ValueError:
                        errors.add(cond_path, f"{value!r} is not a number")


def _check_products(errors, reader, index, known):
    product_rules = {}
    definitions = attribute_bundle.Definitions(
        [category for _, category in _valid(index.sections["categories"])]
    )
    base = translation_bundle.base_language(index)
    if "products" in index.present:
        for position, raw in enumerate(reader.items("products")):
            path = f"products[{position}]"
            product = _validate_item(errors, ("products", position), schema.ProductItem, raw)
            if product is None:
                continue
            if product.category is not None and product.category not in known.categories:
                errors.add(f"{path}.category", f"unknown category {product.category!r}")
            _check_quantities(
                errors,
                path,
                QuantityRules(
                    min_qty=product.min_qty, max_qty=product.max_qty, qty_step=product.qty_step
                ),
            )
            _check_visibility(errors, path, product, known)
            _check_packagings(errors, path, product, index)
            _check_images(errors, path, product, reader.source)
            translation_bundle.check(errors, path, product.translations, Product, base)
            for number, image in enumerate(product.images or ()):
                translation_bundle.check(
                    errors, f"{path}.images[{number}]", image.translations, ProductImage, base
                )
            attribute_bundle.check_product_attributes(errors, path, product, definitions)
            attribute_bundle.check_attribute_translations(errors, path, product, definitions, base)
            product_rules[product.sku] = (product.min_qty, product.qty_step, product.max_qty)
    referenced = {
        rule.sku
        for _, group in _valid(index.sections["groups"])
        for rule in group.order_rules
        if rule.sku not in product_rules
    }
    for sku, *rules in Product.objects.filter(sku__in=referenced).values_list(
        "sku", "min_qty", "qty_step", "max_qty"
    ):
        product_rules[sku] = tuple(rules)
    _check_group_rules(errors, index, known, product_rules)


def _check_packagings(errors, path, product, index):
    """Units written once each (lower case), never the base unit; orderable limits."""
    if product.packagings is None:
        return
    units = index.packagings[product.sku] = set()
    for position, packaging in enumerate(product.packagings):
        item_path = f"{path}.packagings[{position}]"
        unit = packaging.unit.strip().lower()
        if unit == product.unit.strip().lower():
            errors.add(f"{item_path}.unit", f"{unit!r} is the product's base unit")
        elif unit in units:
            errors.add(f"{item_path}.unit", f"duplicate packaging {unit!r}")
        units.add(unit)
        _check_quantities(
            errors,
            item_path,
            packaging_rules(packaging.min_qty, packaging.max_qty, packaging.qty_step),
        )


def _check_images(errors, path, product, files):
    """Each picture a readable image file, each document a PDF, beside the bundle or in its zip
    (image_files.py)."""
    for position, image in enumerate(product.images or ()):
        _data, problem = image_data(files, image.path)
        if problem:
            errors.add(f"{path}.images[{position}].path", problem)
    for position, document in enumerate(product.documents or ()):
        _data, problem = document_data(files, document.path)
        if problem:
            errors.add(f"{path}.documents[{position}].path", problem)


def _packaging_units(index, sku: str) -> set[str]:
    """The packaging units of a SKU: the bundle's, else the database's."""
    if sku not in index.packagings:
        units = Packaging.objects.filter(product__sku=sku).values_list("unit", flat=True)
        index.packagings[sku] = set(units)
    return index.packagings[sku]


def _collect_products(errors, reader, index, known):
    """SKUs of the bundle (with their first position) before anything refers to them.

    SKUs ignore case (API.md §2.1): "abc" is a duplicate of "ABC", in the bundle or in the
    database, as the unique index on UPPER(sku) would say, but here with its path.
    """
    if "products" not in index.present:
        return
    first_by_key = {}
    for position, raw in enumerate(reader.items("products")):
        sku = raw.get("sku") if isinstance(raw, dict) else None
        if not isinstance(sku, str):
            continue
        key = sku_key(sku)
        if key in first_by_key:
            errors.add(
                f"products[{position}].sku",
                f"duplicate {sku!r} (also products[{first_by_key[key]}])",
            )
            continue
        first_by_key[key] = index.skus[sku] = position
        existing = known.db_sku_by_key.get(key, sku)
        if existing != sku:
            errors.add(
                f"products[{position}].sku",
                f"{sku!r} differs only in case from the existing product {existing!r}",
            )


def _check_visibility(errors, path, product, known):
    for name, label, codes in (
        ("groups", "group", known.groups),
        ("companies", "company", known.companies),
    ):
        listed = getattr(product, name)
        if product.visibility == name and not listed:
            errors.add(f"{path}.{name}", f"visibility {name!r} needs at least one {label}")
        elif product.visibility != name and listed:
            errors.add(f"{path}.{name}", f"must be empty unless visibility is {name!r}")
        _check_refs(errors, f"{path}.{name}", listed, codes, label)


def _collect_price_lists(errors, reader, index):
    if "price_lists" not in index.present:
        return
    for position, raw in enumerate(reader.items("price_lists")):
        if not isinstance(raw, dict) or not isinstance(raw.get("code"), str):
            continue
        code = raw["code"]
        if code in index.price_list_currency:
            errors.add(f"price_lists[{position}].code", f"duplicate {code!r}")
        currency = raw.get("currency") or "EUR"  # a null is absent, as in the schema
        index.price_list_currency[code] = currency if isinstance(currency, str) else ""


def _check_price_lists(errors, reader, index, known, progress):
    if "price_lists" not in index.present:
        return
    parents = dict(known.price_list_parents)
    entries = 0
    for position, raw in enumerate(reader.items("price_lists")):
        if isinstance(raw, dict) and isinstance(raw.get("entries"), list):
            entries += len(raw["entries"])
        progress(f"checking price lists: {position + 1} ({entries} entries)")
        path = f"price_lists[{position}]"
        price_list = _validate_item(errors, ("price_lists", position), schema.PriceListItem, raw)
        if price_list is None:
            continue
        parents[price_list.code] = price_list.parent
        if not is_currency(price_list.currency):
            errors.add(
                f"{path}.currency", f"{price_list.currency!r} is not an ISO 4217 currency code"
            )
        if price_list.parent is not None:
            if price_list.parent not in known.price_lists:
                errors.add(f"{path}.parent", f"unknown price list {price_list.parent!r}")
            elif has_cycle(price_list.code, parents):
                errors.add(f"{path}.parent", "price lists cannot be their own ancestors")
        elif price_list.adjustment_percent is not None:
            errors.add(f"{path}.adjustment_percent", "needs a parent list")
        _check_window(errors, path, price_list.valid_from, price_list.valid_until)
        seen = {}
        for entry_position, entry in enumerate(price_list.entries):
            entry_path = f"{path}.entries[{entry_position}]"
            if not known.has_sku(index, entry.sku):
                errors.add(f"{entry_path}.sku", f"unknown SKU {entry.sku!r}")
            unit = entry.unit.strip().lower() if entry.unit else None
            if unit is not None and unit not in _packaging_units(index, entry.sku):
                errors.add(f"{entry_path}.unit", f"{entry.sku} has no packaging {unit!r}")
            key = (entry.sku, unit, entry.min_qty)
            if key in seen:
                errors.add(
                    f"{entry_path}.min_qty",
                    f"duplicate tier {entry.sku} from {entry.min_qty} (also entries[{seen[key]}])",
                )
            seen[key] = entry_position


def _check_orders(errors, reader, index, known):
    if "orders" not in index.present:
        return
    numbers = {}
    invoices = {}
    credit_notes = {}
    invoiced = _InvoicedOrders()
    locations = team_checks.order_location_codes(index.sections["companies"])
    for position, raw in enumerate(reader.items("orders")):
        path = f"orders[{position}]"
        order = _validate_item(errors, ("orders", position), schema.OrderItem, raw)
        if order is None:
            continue
        if order.invoice is not None:
            _check_invoice(errors, f"{path}.invoice.number", order, invoices, invoiced)
            invoices[order.invoice.number] = position
            _check_credit_notes(errors, f"{path}.invoice", order.invoice, credit_notes, invoiced)
        if order.number in numbers:
            errors.add(
                f"{path}.number",
                f"duplicate {order.number!r} (also orders[{numbers[order.number]}])",
            )
        numbers[order.number] = position
        index.order_numbers.add(order.number)
        if order.company not in known.companies:
            errors.add(f"{path}.company", f"unknown company {order.company!r}")
        team_checks.check_order_location(errors, path, order, locations)
        if order.buyer is not None:
            email = order.buyer.lower()
            owner = known.user_companies.get(email)
            if email not in known.emails and owner is None:
                errors.add(f"{path}.buyer", f"unknown user {order.buyer!r}")
        if order.placed_by is not None and order.placed_by.lower() not in known.staff_emails:
            errors.add(f"{path}.placed_by", f"unknown staff user {order.placed_by!r}")
        _check_geo(
            errors,
            f"{path}.shipping_address",
            order.shipping_address.country,
            order.shipping_address.region,
        )
        _duplicates(
            errors, f"{path}.tax_lines", order.tax_lines, lambda t: (t.rate, t.reason), "rate"
        )
        for line_position, line in enumerate(order.lines):
            if line.promotion + line.volume > line.unit_price * line.qty:
                errors.add(f"{path}.lines[{line_position}]", "discounts exceed the gross amount")
            if (line.unit is None) != (line.base_qty is None):
                errors.add(
                    f"{path}.lines[{line_position}].base_qty",
                    "a line in a packaging gives both its unit and its base_qty",
                )


def _check_credit_notes(errors, path, invoice, seen, invoiced):
    """A credit note number belongs to one invoice, in the bundle and in the database."""
    for position, note in enumerate(invoice.credit_notes):
        where = f"{path}.credit_notes[{position}].number"
        if seen.get(note.number, invoice.number) != invoice.number:
            errors.add(where, f"duplicate credit note {note.number!r} (also {seen[note.number]})")
        seen[note.number] = invoice.number
        owner = invoiced.credited_invoice.get(note.number)
        if owner is not None and owner != invoice.number:
            errors.add(where, f"credit note {note.number!r} already belongs to invoice {owner!r}")


class _InvoicedOrders:
    """The invoices already in the database: number → order number, and the other way;
    their credit notes: number → invoice number."""

    def __init__(self):
        pairs = list(Invoice.objects.values_list("number", "order__number"))
        self.order_of = dict(pairs)
        self.invoice_of = {order: number for number, order in pairs}
        self.credited_invoice = dict(CreditNote.objects.values_list("number", "invoice__number"))


def _check_invoice(errors, path, order, invoices, invoiced):
    """An invoice number belongs to one order, and an order has one invoice, for good."""
    number = order.invoice.number
    if number in invoices:
        errors.add(path, f"duplicate invoice {number!r} (also orders[{invoices[number]}])")
    owner = invoiced.order_of.get(number)
    if owner is not None and owner != order.number:
        errors.add(path, f"invoice {number!r} already belongs to order {owner!r}")
    current = invoiced.invoice_of.get(order.number)
    if current is not None and current != number:
        errors.add(path, f"order {order.number!r} is already invoiced as {current!r}")
