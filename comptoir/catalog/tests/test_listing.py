"""The catalogue listing: each page and the count are exactly what the buyer may see, and
stay so after any write to products, visibility or categories."""

import random
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.catalog.listing import category_scope, product_listing
from comptoir.catalog.models import Product, Visibility
from comptoir.catalog.selectors import visible_products
from tests.factories import CategoryFactory, CompanyFactory, CustomerGroupFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    """Two category trees, a group (GOLD) and its company ACME, another group and company."""
    tools, fixings = CategoryFactory(code="TOOLS"), CategoryFactory(code="FIXINGS")
    screws = CategoryFactory(code="SCREWS", parent=fixings)
    gold, silver = CustomerGroupFactory(code="GOLD"), CustomerGroupFactory(code="SILVER")
    acme = CompanyFactory(code="ACME", group=gold)
    other = CompanyFactory(code="OTHER", group=silver)
    return {
        "categories": {"TOOLS": tools, "FIXINGS": fixings, "SCREWS": screws},
        "groups": (gold, silver),
        "companies": (acme, other),
    }


def catalogue_page(*, group, company, search="", category="", page=1, page_size=20):
    """A page of the API's listing by SKU (pricing/api.py), and its count."""
    buyer = SimpleNamespace(group=group, company=company, store=None, sees_prices=False)
    scope = category_scope(category) if category else None
    if category and scope is None:
        return [], 0
    found = product_listing(buyer, scope=scope, search=search, sort="sku")
    start = (page - 1) * page_size
    return found.products(start, start + page_size), found.count


def listing(group, company, **filters):
    """Every page of the listing, concatenated, and the count of each page."""
    skus, counts, page = [], set(), 1
    while True:
        products, count = catalogue_page(
            group=group, company=company, page=page, page_size=7, **filters
        )
        counts.add(count)
        if not products:
            return skus, counts
        skus += [product.sku for product in products]
        page += 1


def expected(group, company, products, category_ids=None, search=""):
    """What the buyer sees, decided in Python from the rules of DESIGN.md."""
    seen = []
    for product in products:
        allowed = (
            product.visibility == Visibility.ALL
            or (product.visibility == Visibility.GROUPS and group in product.groups)
            or (product.visibility == Visibility.COMPANIES and company in product.companies)
        )
        if group.limit_catalog:
            allowed &= product.category_id in group.allowed_categories
        if category_ids is not None:
            allowed &= product.category_id in category_ids
        if search:
            allowed &= search.lower() in f"{product.sku} {product.name}".lower()
        if allowed and product.active:
            seen.append(product.sku)
    return sorted(seen)


@pytest.mark.parametrize("seed", range(4))
def test_pages_and_count_are_what_each_buyer_may_see(catalogue, seed):
    rng = random.Random(seed)
    categories = list(catalogue["categories"].values())
    groups, companies = catalogue["groups"], catalogue["companies"]
    products = []
    for n in range(40):
        product = ProductFactory(
            sku=f"SKU-{rng.randrange(10_000):04d}-{n}",
            name=rng.choice(["Vis inox", "Écrou", "Marteau"]),
            category=rng.choice([*categories, None]),
            active=rng.random() > 0.15,
            visibility=rng.choice(list(Visibility)),
            visible_groups=rng.sample(groups, rng.randrange(3)),
            visible_companies=rng.sample(companies, rng.randrange(3)),
        )
        product.groups = set(product.visible_groups.all())
        product.companies = set(product.visible_companies.all())
        products.append(product)
    gold = groups[0]
    gold.limit_catalog = seed % 2 == 1
    gold.save()
    gold.catalog_categories.set([catalogue["categories"]["FIXINGS"]])
    fixings, screws = catalogue["categories"]["FIXINGS"].pk, catalogue["categories"]["SCREWS"].pk
    for group in groups:
        group.allowed_categories = {fixings, screws}

    for group, company in ((gold, companies[0]), (groups[1], companies[1]), (gold, None)):
        want = expected(group, company, products)
        assert listing(group, company) == (want, {len(want)})
        assert sorted(p.sku for p in visible_products(group=group, company=company)) == want
        want = expected(group, company, products, category_ids={fixings, screws})
        assert listing(group, company, category="FIXINGS") == (want, {len(want)})
        want = expected(group, company, products, search="inox")
        assert listing(group, company, search="inox") == (want, {len(want)})


def test_an_unknown_category_lists_nothing(catalogue):
    ProductFactory(category=catalogue["categories"]["TOOLS"])
    gold = catalogue["groups"][0]

    assert catalogue_page(group=gold, company=None, category="NOPE") == ([], 0)


def test_a_page_past_the_end_is_empty_but_keeps_the_count(catalogue):
    ProductFactory.create_batch(3, category=catalogue["categories"]["TOOLS"])
    gold = catalogue["groups"][0]

    assert catalogue_page(group=gold, company=None, page=9, page_size=2) == ([], 3)


def test_the_count_follows_every_kind_of_write(catalogue):
    """Nothing is cached: admin edits, bulk loads and queryset updates all show at once."""
    gold, silver = catalogue["groups"]
    acme, _ = catalogue["companies"]
    tools, screws = catalogue["categories"]["TOOLS"], catalogue["categories"]["SCREWS"]
    first, second = (ProductFactory(category=tools) for _ in range(2))

    def count(**filters):
        return catalogue_page(group=gold, company=acme, **filters)[1]

    assert count() == 2
    Product.objects.bulk_create(
        Product(sku=f"BULK-{n}", name="Cheville", category=screws) for n in range(5)
    )
    assert (count(), count(category="FIXINGS")) == (7, 5)
    Product.objects.filter(sku__startswith="BULK-").update(active=False)
    assert count() == 2
    first.visibility = Visibility.GROUPS
    first.save()
    assert count() == 1
    first.visible_groups.add(gold)
    assert count() == 2
    first.visible_groups.set([silver])
    second.visibility = Visibility.COMPANIES
    second.save()
    assert count() == 0
    second.visible_companies.add(acme)
    assert count() == 1
    Product.objects.filter(sku__startswith="BULK-").update(active=True, category=tools)
    assert (count(), count(category="FIXINGS")) == (6, 0)
    gold.limit_catalog = True
    gold.save()
    gold.catalog_categories.set([catalogue["categories"]["FIXINGS"]])
    assert count() == 0
    Product.objects.filter(sku="BULK-0").update(category=screws)
    assert count() == 1
    Product.objects.filter(sku="BULK-0").delete()
    assert count() == 0


@pytest.mark.parametrize("page_size", [1, 50])
def test_a_page_takes_two_queries_whatever_its_size(catalogue, page_size):
    gold = catalogue["groups"][0]
    acme = catalogue["companies"][0]
    ProductFactory.create_batch(60, category=catalogue["categories"]["TOOLS"])

    with CaptureQueriesContext(connection) as queries:
        products, count = catalogue_page(group=gold, company=acme, page=1, page_size=page_size)

    assert (len(products), count, len(queries)) == (page_size, 60, 2)
