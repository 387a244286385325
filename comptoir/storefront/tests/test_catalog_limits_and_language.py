"""Group catalogs limited to categories, French pages, markup for keyboards and screen readers."""

from html.parser import HTMLParser

import pytest

from tests.factories import CategoryFactory, CompanyFactory, ProductFactory, UserFactory


def test_a_group_limited_to_categories_sees_nothing_else(world, client):
    gold = world.buyers["gold"].company.group
    gold.limit_catalog = True
    gold.save()
    tools = CategoryFactory(code="TOOLS", name="Tools")
    drills = CategoryFactory(code="DRILLS", name="Drills", parent=tools)
    ProductFactory(sku="DRL-1", name="Cordless drill", category=drills)
    gold.catalog_categories.set([tools])
    client.force_login(world.buyers["gold"])

    assert client.get("/p/DRL-1/").status_code == 200
    assert client.get("/p/PUB-1/").status_code == 404
    assert client.get("/c/FASTENERS/").status_code == 404
    home = client.get("/").content.decode()
    assert "Tools" in home
    assert "Fasteners" not in home
    assert client.get("/api/v1/products/PUB-1").status_code == 404
    found = client.get("/search/", {"q": "1"}).context["offers"]
    assert [offer.product.sku for offer in found] == ["DRL-1"]


def test_pages_speak_french_under_fr_and_the_switch_keeps_the_page(world, client):
    page = client.get("/fr/p/PUB-1/")
    assert '<html lang="fr">' in page.content.decode()
    assert "Mode de vente" in page.content.decode()
    assert "10,00\u00a0€" in page.content.decode()

    page = client.get("/c/FASTENERS/", {"sort": "sku"})
    assert 'name="next" type="hidden" value="/c/FASTENERS/?sort=sku"' in page.content.decode()
    french = client.get("/fr/c/FASTENERS/", {"sort": "sku"})
    assert 'name="next" type="hidden" value="/c/FASTENERS/?sort=sku"' in french.content.decode()
    switched = client.post("/i18n/setlang/", {"language": "fr", "next": "/c/FASTENERS/"})
    assert switched["Location"] == "/fr/c/FASTENERS/"
    back = client.post("/i18n/setlang/", {"language": "en", "next": "/c/FASTENERS/"})
    assert back["Location"] == "/c/FASTENERS/"


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.labels, self.fields, self.h1, self.lang = set(), [], 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        elif tag in {"input", "select", "textarea"} and attrs.get("type") not in {
            "hidden",
            "submit",
        }:
            self.fields.append(attrs)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/c/FASTENERS/",
        "/search/?q=screw",
        "/p/PUB-1/",
        "/account/",
        "/account/login/",
        "/account/password/reset/",
        "/legal/",
    ],
)
def test_pages_have_a_language_one_h1_and_a_label_for_every_field(world, client, path):
    client.force_login(world.buyers["gold"])
    markup = _Markup()
    markup.feed(client.get(path, follow=True).content.decode())
    assert markup.lang == "en"
    assert markup.h1 == 1
    unlabelled = [f for f in markup.fields if f.get("id") not in markup.labels]
    assert unlabelled == []


def test_the_account_request_form_labels_every_field(store, client):
    markup = _Markup()
    markup.feed(client.get("/account/request/").content.decode())
    assert len(markup.fields) == 11 + 2  # the form, the search box and the language switch
    assert [f for f in markup.fields if f.get("id") not in markup.labels] == []


def test_the_account_page_shows_company_group_and_addresses(world, client):
    buyer = world.buyers["gold"]
    company = CompanyFactory(code="ACME", name="Acme Outillage", group=buyer.company.group)
    company.addresses.create(
        code="HQ", line1="3 quai des Usines", postal_code="59000", city="Lille", country="FR"
    )
    colleague = UserFactory(company=company, email="achats@acme.example")
    client.force_login(colleague)
    page = client.get("/account/").content.decode()
    for text in ("Acme Outillage", "ACME", "Gold", "3 quai des Usines", "Lille", "Approved"):
        assert text in page
