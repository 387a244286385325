"""A product family's grid (issue 20): sizes × colours, each cell its own SKU with the
buyer's price, stock and a quantity box, ordered in one post; only the variants the viewer
may see, and a family with none of them is not found. Also its API answer."""

import re
from decimal import Decimal

import pytest

from comptoir.catalog.models import FamilyVariant, Packaging, ProductFamily, Visibility
from comptoir.core import versioned_cache
from comptoir.ordering.models import CartLine
from tests.factories import (
    CategoryFactory,
    CompanyFactory,
    CustomerGroupFactory,
    PriceEntryFactory,
    PriceListFactory,
    ProductFactory,
    UserFactory,
)

SIZES = ["7", "8", "9", "10"]
COLOURS = ["Black", "Blue"]
CODES = {"Black": "BK", "Blue": "BL"}


@pytest.fixture
def gloves(store):
    """Nitrile gloves GLV-<size>-<BK|BL>, a box of 100 each: BASE 6.00, list PRO 5.40 (from 1)
    and 4.90 (from 10) for the black ones. GLV-7-BL is not made; GLV-10-BL is made for ACME
    only. ACME and OTHER buy in group PRO."""
    pro = CustomerGroupFactory(code="PRO", name="Professionals")
    acme = CompanyFactory(code="ACME", name="Acme Outillage", group=pro)
    other = CompanyFactory(code="OTHER", name="Other SA", group=pro)
    category = CategoryFactory(code="GLOVES", name="Gloves")
    family = ProductFamily.objects.create(
        code="GLV-NITRILE",
        name="Nitrile gloves",
        category=category,
        row_axis="Size",
        row_values="\n".join(SIZES),
        column_axis="Colour",
        column_values="\n".join(COLOURS),
        translations={
            "fr": {
                "name": "Gants nitrile",
                "row_axis": "Taille",
                "column_axis": "Couleur",
                "column_values": "Noir\nBleu",
            }
        },
    )
    pro_list = PriceListFactory(code="PRO", customer_groups=[pro])
    products = {}
    for size in SIZES:
        for colour in COLOURS:
            sku = f"GLV-{size}-{CODES[colour]}"
            if sku == "GLV-7-BL":
                continue
            exclusive = sku == "GLV-10-BL"
            product = ProductFactory(
                sku=sku,
                name=f"Nitrile gloves size {size} {colour.lower()}",
                category=category,
                unit="box",
                stock=50,
                visibility=Visibility.COMPANIES if exclusive else Visibility.ALL,
                visible_companies=[acme] if exclusive else [],
            )
            PriceEntryFactory(
                price_list=store.base_price_list, product=product, price=Decimal("6.00")
            )
            if colour == "Black":
                PriceEntryFactory(price_list=pro_list, product=product, price=Decimal("5.40"))
                PriceEntryFactory(
                    price_list=pro_list, product=product, min_qty=10, price=Decimal("4.90")
                )
            FamilyVariant.objects.create(
                family=family, product=product, row_value=size, column_value=colour
            )
            products[sku] = product
    return {
        "family": family,
        "products": products,
        "acme": UserFactory(company=acme, email="achats@acme.example"),
        "other": UserFactory(company=other, email="achats@other.example"),
    }


def cells(html: str) -> list[tuple[str, str]]:
    """(SKU, price) of every cell of the grid, row by row."""
    found = re.findall(
        r'<a class="sku" href="/p/([^/]+)/">[^<]+</a>\s*<span class="price-line">'
        r'(?:<span class="price">([^<]+)</span>)?',
        html,
    )
    return found


def test_the_grid_shows_each_cell_with_the_buyers_price(client, gloves):
    client.force_login(gloves["acme"])
    page = client.get("/f/GLV-NITRILE/").content.decode()
    assert cells(page) == [
        ("GLV-7-BK", "€5.40"),
        ("GLV-8-BK", "€5.40"),
        ("GLV-8-BL", "€6.00"),
        ("GLV-9-BK", "€5.40"),
        ("GLV-9-BL", "€6.00"),
        ("GLV-10-BK", "€5.40"),
        ("GLV-10-BL", "€6.00"),
    ]
    assert "from 10: €4.90" in page
    assert '<th scope="col">Black</th><th scope="col">Blue</th>' in page
    assert page.count('class="missing"') == 1  # size 7 in blue is not made
    assert 'name="qty:GLV-8-BL"' in page
    assert "Add all to cart" in page


def test_another_company_does_not_see_the_exclusive_variant(client, gloves):
    client.force_login(gloves["other"])
    page = client.get("/f/GLV-NITRILE/").content.decode()
    skus = [sku for sku, _price in cells(page)]
    assert "GLV-10-BL" not in skus
    assert skus == ["GLV-7-BK", "GLV-8-BK", "GLV-8-BL", "GLV-9-BK", "GLV-9-BL", "GLV-10-BK"]
    refused = client.post(
        "/cart/add-all/",
        {"family": "GLV-NITRILE", "sku": ["GLV-10-BL"], "qty:GLV-10-BL": "2"},
    )
    assert refused.status_code == 422
    assert "Unknown SKU GLV-10-BL." in refused.content.decode()
    assert not CartLine.objects.exists()


def test_a_family_with_no_variant_visible_is_not_found(client, gloves, store):
    FamilyVariant.objects.exclude(product__sku="GLV-10-BL").delete()
    client.force_login(gloves["other"])
    assert client.get("/f/GLV-NITRILE/").status_code == 404
    assert client.get("/f/NO-SUCH-FAMILY/").status_code == 404
    client.force_login(gloves["acme"])
    assert client.get("/f/glv-nitrile/").status_code == 200


def test_ordering_from_the_grid_is_all_or_nothing(client, gloves):
    client.force_login(gloves["acme"])
    form = {
        "family": "GLV-NITRILE",
        "next": "/f/GLV-NITRILE/",
        "sku": ["GLV-8-BK", "GLV-9-BL", "GLV-10-BK"],
        "qty:GLV-8-BK": "10",
        "qty:GLV-9-BL": "60",
        "qty:GLV-10-BK": "",
    }
    refused = client.post("/cart/add-all/", form)
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "Only 50 of GLV-9-BL in stock: 60 requested." in page
    assert "Nothing was added to the cart" in page
    assert 'id="qty-GLV-8-BK" name="qty:GLV-8-BK" type="number"' in page
    assert not CartLine.objects.exists()

    added = client.post("/cart/add-all/", {**form, "qty:GLV-9-BL": "20"})
    assert added["Location"] == "/f/GLV-NITRILE/"
    lines = CartLine.objects.order_by("product__sku").values_list("product__sku", "quantity")
    assert list(lines) == [("GLV-8-BK", 10), ("GLV-9-BL", 20)]


def test_a_listing_marks_variants_with_a_link_to_their_grid(client, gloves):
    page = client.get("/c/GLOVES/").content.decode()
    assert '<a class="family-link" href="/f/GLV-NITRILE/">8 × Black — all variants of' in page
    product = client.get("/p/GLV-8-BK/").content.decode()
    assert 'href="/f/GLV-NITRILE/">8 × Black — all variants of Nitrile gloves</a>' in product


def without_tokens(content: bytes) -> bytes:
    """A page without its CSRF token, masked afresh on every response."""
    return re.sub(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"', rb"\1-", content)


def measured(client, url, django_assert_max_num_queries, first: int):
    """The queries of `url` the first time since a change (its data read and copied; the
    store, the category tree and the buyer's price lists already this process's, read by
    another page), then served from its copy."""
    client.get("/")
    versioned_cache.clear()
    client.get("/c/GLOVES/")
    with django_assert_max_num_queries(first) as cold:
        page = client.get(url)
    with django_assert_max_num_queries(8) as warm:
        again = client.get(url)
    assert without_tokens(again.content) == without_tokens(page.content)
    return page.content.decode(), len(cold.captured_queries), len(warm.captured_queries)


@pytest.mark.parametrize("count", [1, 50])
def test_the_family_page_reads_a_fixed_number_of_queries(
    client, store, gloves, count, django_assert_max_num_queries
):
    family = gloves["family"]
    FamilyVariant.objects.all().delete()
    family.row_values = "\n".join(str(n) for n in range(1, 26))
    family.save()
    for n in range(count):
        product = ProductFactory(sku=f"SHIRT-{n:02d}", name=f"Shirt {n}", stock=5)
        PriceEntryFactory(price_list=store.base_price_list, product=product, price=Decimal("9"))
        FamilyVariant.objects.create(
            family=family, product=product, row_value=str(n // 2 + 1), column_value=COLOURS[n % 2]
        )
    client.force_login(gloves["acme"])
    page, cold, warm = measured(client, "/f/GLV-NITRILE/", django_assert_max_num_queries, 8)
    assert len(cells(page)) == count
    assert (cold, warm) == (7, 4)


@pytest.mark.parametrize("count", [1, 50])
def test_the_table_view_reads_a_fixed_number_of_queries(
    client, store, gloves, count, django_assert_max_num_queries
):
    category = CategoryFactory(code="SHIRTS", name="Shirts")
    family = gloves["family"]
    for n in range(count):
        product = ProductFactory(sku=f"SHIRT-{n:02d}", category=category, stock=5)
        PriceEntryFactory(price_list=store.base_price_list, product=product, price=Decimal("9"))
        Packaging.objects.create(product=product, unit="carton", factor=10)
        Packaging.objects.create(product=product, unit="pallet", factor=200, enabled=False)
        FamilyVariant.objects.create(
            family=family, product=product, row_value="7", column_value=f"Shirt {n}"
        )
    client.force_login(gloves["acme"])
    # the first time: the count, the page with its families and packagings, rules, prices
    page, cold, warm = measured(client, "/c/SHIRTS/?view=table", django_assert_max_num_queries, 8)
    assert len(re.findall(r'<td class="sku">', page)) == min(count, 24)
    assert page.count('name="unit:SHIRT-') == min(count, 24)
    assert page.count('<option value="carton">') == min(count, 24)
    assert 'value="pallet"' not in page
    assert page.count('class="family-link"') == min(count, 24)
    assert (cold, warm) == (7, 4)


def test_the_api_gives_the_family_with_the_variants_the_caller_sees(client, gloves):
    client.force_login(gloves["other"])
    body = client.get("/api/v1/families/GLV-NITRILE").json()
    assert body["axes"] == [
        {"name": "Size", "values": SIZES, "labels": SIZES},
        {"name": "Colour", "values": COLOURS, "labels": COLOURS},
    ]
    assert body["variants"][0]["axis_labels"] == ["7", "Black"]
    assert [(v["sku"], v["axis_values"], v["price"]["unit_price"]) for v in body["variants"]] == [
        ("GLV-7-BK", ["7", "Black"], "5.40"),
        ("GLV-8-BK", ["8", "Black"], "5.40"),
        ("GLV-8-BL", ["8", "Blue"], "6.00"),
        ("GLV-9-BK", ["9", "Black"], "5.40"),
        ("GLV-9-BL", ["9", "Blue"], "6.00"),
        ("GLV-10-BK", ["10", "Black"], "5.40"),
    ]
    assert body["variants"][0]["availability"] == {"status": "in_stock", "left": None}
    product = client.get("/api/v1/products/GLV-8-BL").json()
    assert product["family"] == {
        "code": "GLV-NITRILE",
        "name": "Nitrile gloves",
        "axes": [
            {"name": "Size", "value": "8", "label": "8"},
            {"name": "Colour", "value": "Blue", "label": "Blue"},
        ],
    }
    assert client.get("/api/v1/families/NOPE").status_code == 404


def test_a_grid_of_thirty_by_thirty_cells_can_be_posted(client, gloves):
    """The back office allows 30 × 30 cells (FamilyVariantInline.max_shown); each cell sends
    its `sku` and its `qty:<sku>`, 1,800 fields and more, beyond Django's default 1,000: the
    post must not be refused as a whole (400) for the size of the grid."""
    data = {"family": "GLV-NITRILE", "next": "/f/GLV-NITRILE/", "sku": [], "qty:GLV-8-BK": "3"}
    for n in range(900):
        sku = "GLV-8-BK" if n == 0 else f"GLV-X-{n:03d}"
        data["sku"].append(sku)
        data.setdefault(f"qty:{sku}", "")
    client.force_login(gloves["acme"])
    response = client.post("/cart/add-all/", data)
    assert response.status_code == 302
    assert list(CartLine.objects.values_list("product__sku", "quantity")) == [("GLV-8-BK", 3)]


@pytest.mark.parametrize("count", [1, 50])
def test_the_api_family_reads_a_fixed_number_of_queries(
    client, store, gloves, count, django_assert_max_num_queries, django_assert_num_queries
):
    family = gloves["family"]
    FamilyVariant.objects.all().delete()
    family.row_values = "\n".join(str(n) for n in range(1, 26))
    family.save()
    for n in range(count):
        product = ProductFactory(sku=f"SHIRT-{n:02d}", name=f"Shirt {n}", stock=5)
        PriceEntryFactory(price_list=store.base_price_list, product=product, price=Decimal("9"))
        Packaging.objects.create(product=product, unit="carton", factor=10)
        FamilyVariant.objects.create(
            family=family, product=product, row_value=str(n // 2 + 1), column_value=COLOURS[n % 2]
        )
    user = gloves["acme"]
    user.set_password("correct horse battery staple")
    user.save()
    token = client.post(
        "/api/v1/auth/token",
        {"email": user.email, "password": "correct horse battery staple"},
        content_type="application/json",
    ).json()["token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "fr"}
    client.get("/api/v1/products?page_size=1", **headers)  # the token notes its first use
    versioned_cache.clear()

    # the token with the cache version, the store, the family, its variants with their
    # products and packagings, the rules, the price lists and the entries (issue 14: ≤ 8)
    with django_assert_max_num_queries(7):
        body = client.get("/api/v1/families/GLV-NITRILE", **headers).json()
    assert len(body["variants"]) == count
    assert body["variants"][0]["sku"] == "SHIRT-00"
    assert body["variants"][0]["axis_labels"] == ["1", "Noir"]  # translated in the same read
    assert body["variants"][0]["packagings"] == [
        {"unit": "carton", "factor": 10, "min_qty": None, "max_qty": None, "qty_step": None}
    ]
    # copied since: the token with the version, and the stock
    with django_assert_num_queries(2):
        again = client.get("/api/v1/families/GLV-NITRILE", **headers).json()
    assert again == body


def test_the_family_reads_in_the_buyers_language(client, gloves):
    client.force_login(gloves["acme"])
    french = client.get("/fr/f/GLV-NITRILE/").content.decode()
    assert "<h1>Gants nitrile</h1>" in french
    assert '<th scope="col">Taille \\ Couleur</th>' in french
    # the colours in French; the sizes, untranslated, as written
    assert '<th scope="col">Noir</th><th scope="col">Bleu</th>' in french
    assert '<tr><th scope="row">8</th>' in french
    # the cells still post the SKUs, whatever the labels
    assert 'name="qty:GLV-8-BL"' in french
    english = client.get("/f/GLV-NITRILE/").content.decode()
    assert "<h1>Nitrile gloves</h1>" in english
    assert '<th scope="col">Size \\ Colour</th>' in english
    assert '<th scope="col">Black</th><th scope="col">Blue</th>' in english
    listing = client.get("/fr/c/GLOVES/").content.decode()
    assert "8 × Noir — toutes les déclinaisons de Gants nitrile" in listing
    product = client.get("/fr/p/GLV-8-BK/").content.decode()
    assert "8 × Noir — toutes les déclinaisons de Gants nitrile</a>" in product
    english_product = client.get("/p/GLV-8-BK/").content.decode()
    assert "8 × Black — all variants of Nitrile gloves</a>" in english_product

    body = client.get("/api/v1/families/GLV-NITRILE", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert (body["name"], body["axes"]) == (
        "Gants nitrile",
        [
            {"name": "Taille", "values": SIZES, "labels": SIZES},
            {"name": "Couleur", "values": ["Black", "Blue"], "labels": ["Noir", "Bleu"]},
        ],
    )
    assert [(v["sku"], v["axis_values"], v["axis_labels"]) for v in body["variants"][:3]] == [
        ("GLV-7-BK", ["7", "Black"], ["7", "Noir"]),
        ("GLV-8-BK", ["8", "Black"], ["8", "Noir"]),
        ("GLV-8-BL", ["8", "Blue"], ["8", "Bleu"]),
    ]
    english = client.get("/api/v1/families/GLV-NITRILE", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["name"] == "Nitrile gloves"
    assert english["axes"][1]["labels"] == ["Black", "Blue"]
    detail = client.get("/api/v1/products/GLV-8-BL", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert detail["family"] == {
        "code": "GLV-NITRILE",
        "name": "Gants nitrile",
        "axes": [
            {"name": "Taille", "value": "8", "label": "8"},
            {"name": "Couleur", "value": "Blue", "label": "Bleu"},
        ],
    }
