"""The back office: every registered model lists, shows and adds; the merchant's tools work."""

from decimal import Decimal
from html import escape
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from comptoir.accounts.access import viewer_for
from comptoir.accounts.models import Role, User
from comptoir.accounts.permissions import ADMINISTRATOR, BUYER
from comptoir.approvals.models import ApprovalCondition, ApprovalRequest, ApprovalRule, Budget
from comptoir.approvals.selectors import as_rule
from comptoir.approvals.stored import rule_json
from comptoir.catalog.models import Category, FamilyVariant, Packaging, Product, ProductFamily
from comptoir.core.admin_forms import CountryListField
from comptoir.core.models import Store
from comptoir.credits.models import CreditNote, InvoiceRefund
from comptoir.credits.services import credit_note_issue
from comptoir.customers.models import (
    Address,
    Company,
    CompanyStatus,
    CustomerGroup,
    Operator,
    ProfileField,
    SegmentationCondition,
    SegmentationRule,
)
from comptoir.integrations.keys import api_key_create
from comptoir.integrations.models import ApiKey, Tombstone
from comptoir.ordering.models import (
    GroupOrderRule,
    Order,
    OrderLine,
    OrderStatus,
    OrderTaxLine,
    PaymentStatus,
)
from comptoir.payments.models import Invoice, InvoicePayment, PaymentMethod, ShippingMethod
from comptoir.pricing.admin import PriceEntryInline
from comptoir.pricing.models import PriceEntry, PriceList, Promotion, VolumeDiscountTier
from comptoir.quotes.models import Quote
from comptoir.quotes.services import QuoteRequest, quote_request
from comptoir.returns.models import ReturnRequest
from comptoir.sales.models import ActingEvent, Assignment
from comptoir.sales.services import acting_start
from comptoir.storefront.models import Banner
from comptoir.tax.models import CertificateStatus, TaxCertificate, TaxRate
from comptoir.webhooks.models import Delivery, Endpoint, Event, EventType
from comptoir.webhooks.outbox import record_event
from comptoir.webhooks.services import endpoint_save
from tests.factories import (
    AddressFactory,
    CategoryFactory,
    CompanyFactory,
    CustomerGroupFactory,
    GroupOrderRuleFactory,
    InvoiceFactory,
    InvoicePaymentFactory,
    PaymentMethodFactory,
    PriceEntryFactory,
    PriceListFactory,
    ProductFactory,
    PromotionFactory,
    SegmentationConditionFactory,
    SegmentationRuleFactory,
    ShippingMethodFactory,
    StaffUserFactory,
    TaxCertificateFactory,
    TaxRateFactory,
    UserFactory,
    VolumeDiscountTierFactory,
    create_approval,
    create_order,
)

REGISTERED_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)

# Models whose add page is refused: the store exists already (one row); orders and their
# lines are placed by buyers, never typed in the back office; invoices come with their orders.
# Approval requests are submitted at checkout, like orders; quotes are requested by buyers;
# webhook events and deliveries are written by the changes they tell of.
ADD_FORBIDDEN = {
    Event,
    Delivery,
    Tombstone,
    Store,
    Order,
    OrderLine,
    OrderTaxLine,
    Invoice,
    InvoicePayment,
    ApprovalRequest,
    Quote,
    CreditNote,
    InvoiceRefund,
    ReturnRequest,
    ActingEvent,
}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def dataset(store):
    """A small but complete store: for each registered model, (object, text the pages show)."""
    pro = CustomerGroupFactory(code="PRO", name="Professionals")
    wholesale = CustomerGroupFactory(code="WHOLESALE", name="Wholesalers")
    fasteners = CategoryFactory(code="FASTENERS", name="Fasteners")
    screws = CategoryFactory(code="SCREWS", name="Screws", parent=fasteners)
    screw = ProductFactory(
        sku="SCR-4X40", name="Wood screws 4 × 40 mm, zinc-plated", category=screws, unit="box"
    )
    gloves = ProductFactory(sku="GLV-NIT-9", name="Nitrile work gloves, size 9", by_the_case=True)
    PriceEntryFactory(price_list=store.base_price_list, product=screw, price=Decimal("10.40"))
    pro_list = PriceListFactory(code="PRO-2026", name="Professionals 2026", customer_groups=[pro])
    entry = PriceEntryFactory(price_list=pro_list, product=screw, min_qty=1, price=Decimal("9.50"))
    PriceEntryFactory(price_list=pro_list, product=screw, min_qty=10, price=Decimal("8.90"))
    carton = Packaging.objects.create(product=screw, unit="carton", factor=24)
    family = ProductFamily.objects.create(
        code="GLV-NIT", name="Nitrile work gloves", row_axis="Size", row_values="8\n9\n10"
    )
    FamilyVariant.objects.create(family=family, product=gloves, row_value="9")
    promotion = PromotionFactory(
        code="SPRING-26", name="Spring sale", customer_groups=[pro], categories=[fasteners]
    )
    tier = VolumeDiscountTierFactory(customer_group=pro, min_total_qty=500, percent=Decimal("3.00"))
    order_rule = GroupOrderRuleFactory(
        customer_group=pro, product=gloves, min_qty=24, max_qty=240, qty_step=12
    )

    dupont = CompanyFactory(
        code="DUPONT", name="Dupont Quincaillerie SAS", group=pro, vat_number="FR40303265045"
    )
    address = AddressFactory(
        company=dupont, code="HQ", line1="12 rue de la Forge", city="Lyon", postal_code="69002"
    )
    buyer = UserFactory(
        company=dupont,
        email="marie.dupont@dupont.example",
        first_name="Marie",
        last_name="Dupont",
        role=ADMINISTRATOR,
    )
    CompanyFactory(belgian=True, code="VDB", name="Van den Broeck NV", vat_number="BE0403019261")
    CompanyFactory(german=True, code="MUELLER", name="Müller Werkzeuge GmbH")
    acme = CompanyFactory(american=True, code="ACME-NY", name="Acme Supply Inc.", pending=True)
    AddressFactory(company=acme, code="HQ")
    UserFactory(company=acme)
    certificate = TaxCertificateFactory(company=acme, number="ST-120-778899")
    tax_rate = TaxRateFactory(country="FR", rate=Decimal("20.00"))
    TaxRateFactory(country="FR", tax_class="reduced", rate=Decimal("5.50"))

    payment = PaymentMethodFactory(code="INVOICE30", invoice=True, countries=["BE", "FR"])
    PaymentMethodFactory(code="BANK")
    shipping = ShippingMethodFactory(code="STD-48H")
    rule = SegmentationRuleFactory(position=10, group=wholesale)
    condition = SegmentationConditionFactory(
        rule=rule, field=ProfileField.COUNTRY, op=Operator.IN, value="FR,BE"
    )
    SegmentationConditionFactory(rule=rule)
    order = create_order(
        company=dupont,
        buyer=buyer,
        items=[(screw, 24, Decimal("9.50")), (gloves, 12, Decimal("31.20"))],
        number="CMD-2026-000123",
        po_number="PO-4471",
        payment_method_code=payment.code,
        payment_method_name=payment.name,
    )
    invoice = InvoiceFactory(order=order, number="FAC-2026-000042")
    invoice_payment = InvoicePaymentFactory(invoice=invoice, reference="VIR-8841")
    credit_note = credit_note_issue(
        invoice=invoice, kind="amount", amount=Decimal("10.00"), reason="Late delivery"
    )
    return_request = ReturnRequest.objects.create(
        number="RMA-2026-000005", order=order, company=order.company, reason="damaged"
    )
    refund = InvoiceRefund.objects.create(
        invoice=invoice, amount=Decimal("10.00"), refunded_on=invoice.issued_on, reference="RBT-17"
    )
    quote = quote_request(
        viewer=viewer_for(store, buyer),
        request=QuoteRequest(rows=[("SCR-4X40", 240)], message="Yearly price for 240 boxes?"),
    )
    staff_group = Group.objects.create(name="Sales team")
    banner = Banner.objects.create(code="WINTER", title="Winter closure 24-26 December")
    banner.customer_groups.set([pro])
    role = Role.objects.create(
        code="STOREKEEPER", name="Storekeeper", permissions=["see_prices", "manage_lists"]
    )
    approval_rule = ApprovalRule.objects.create(
        company=dupont, name="Orders above 2,000", approver_roles=["approver"]
    )
    ApprovalCondition.objects.create(
        rule=approval_rule, kind="total_above", amount=Decimal("2000.00")
    )
    budget = Budget.objects.create(
        company=dupont, location=dupont.locations.get(), period="month", amount=Decimal("5000")
    )
    approval = create_approval(
        company=dupont,
        requester=buyer,
        items=[(screw, 240, Decimal("9.50"))],
        number="APR-2026-000007",
        rules=[rule_json(as_rule(approval_rule))],
    )
    endpoint = endpoint_save(
        endpoint=Endpoint(url="https://erp.dupont.example/hooks", event_types=["order.placed"])
    )
    with transaction.atomic():
        event = record_event(
            EventType.ORDER_PLACED,
            resource_type="order",
            resource_key="CMD-2026-000123",
            payload={"number": "CMD-2026-000123"},
        )
    representative = StaffUserFactory(email="paul.vendeur@comptoir.example")
    assignment = Assignment.objects.create(representative=representative, company=dupont)
    acting = acting_start(staff=store_admin(), buyer=buyer)

    api_key, _plain = api_key_create(name="Odoo", scopes=["read"])
    return {
        Endpoint: (endpoint, "https://erp.dupont.example/hooks"),
        Event: (event, event.public_id),
        Delivery: (event.deliveries.get(), event.public_id),
        Assignment: (assignment, "paul.vendeur@comptoir.example"),
        ActingEvent: (acting, "marie.dupont@dupont.example"),
        ApprovalRule: (approval_rule, "Orders above 2,000"),
        Budget: (budget, "5000"),
        ApprovalRequest: (approval, "APR-2026-000007"),
        Role: (role, "Storekeeper"),
        Store: (store, store.name),
        CustomerGroup: (pro, "Professionals"),
        Category: (screws, "SCREWS"),
        Product: (screw, "SCR-4X40"),
        PriceList: (pro_list, "PRO-2026"),
        PriceEntry: (entry, "SCR-4X40"),
        Packaging: (carton, "SCR-4X40"),
        ProductFamily: (family, "GLV-NIT"),
        Promotion: (promotion, "SPRING-26"),
        VolumeDiscountTier: (tier, "500"),
        GroupOrderRule: (order_rule, "GLV-NIT-9"),
        Company: (dupont, "Dupont Quincaillerie SAS"),
        Address: (address, "12 rue de la Forge"),
        User: (buyer, "marie.dupont@dupont.example"),
        TaxRate: (tax_rate, "20"),  # the rate input shows 20, not 20.0000
        TaxCertificate: (certificate, "ST-120-778899"),
        PaymentMethod: (payment, "INVOICE30"),
        ShippingMethod: (shipping, "STD-48H"),
        SegmentationRule: (rule, "FR,BE"),
        SegmentationCondition: (condition, "FR,BE"),
        Order: (order, "CMD-2026-000123"),
        OrderLine: (order.lines.get(sku="SCR-4X40"), "SCR-4X40"),
        OrderTaxLine: (order.tax_lines.get(), "CMD-2026-000123"),
        Invoice: (invoice, "FAC-2026-000042"),
        InvoicePayment: (invoice_payment, "VIR-8841"),
        CreditNote: (credit_note, credit_note.number),
        InvoiceRefund: (refund, "RBT-17"),
        ReturnRequest: (return_request, "RMA-2026-000005"),
        Group: (staff_group, "Sales team"),
        Banner: (banner, "Winter closure 24-26 December"),
        Quote: (quote, quote.number),
        ApiKey: (api_key, "Odoo"),
        Tombstone: (Tombstone.objects.create(kind="product", key="OLD-SKU-1"), "OLD-SKU-1"),
    }


def store_admin():
    """A superuser of the merchant, who may act as any buyer."""
    return StaffUserFactory(email="direction@comptoir.example", is_superuser=True)


def sample(dataset, model):
    if model not in dataset:
        pytest.fail(f"{model._meta.label} is registered in the admin but has no test data.")
    return dataset[model]


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_changelist_lists_the_object(admin_client, dataset, model):
    obj, text = sample(dataset, model)
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert admin_url(model, "change", obj.pk) in content
    assert escape(text) in content


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_change_page_shows_the_object(admin_client, dataset, model):
    obj, text = sample(dataset, model)
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert escape(text) in response.content.decode()


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_add_page(admin_client, dataset, model):
    sample(dataset, model)
    response = admin_client.get(admin_url(model, "add"))
    assert response.status_code == (403 if model in ADD_FORBIDDEN else 200)


# Posting forms as a browser would


class _FormParser(HTMLParser):
    """The fields a browser would submit from the form whose id is given."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data = {}
        self._select = None
        self._textarea = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            chosen = [value for value, selected in select["options"] if selected]
            if not chosen and not select["multiple"] and select["options"]:
                chosen = [select["options"][0][0]]
            for value in chosen:
                self._add(select["name"], value)


def form_data(response, model):
    parser = _FormParser(f"{model._meta.model_name}_form")
    parser.feed(response.content.decode())
    data = {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}
    data.pop("csrfmiddlewaretoken", None)
    return data


# Companies


def test_approve_action_approves_the_selected_companies(admin_client, store):
    pending = CompanyFactory.create_batch(2, pending=True)
    other = CompanyFactory(pending=True)
    response = admin_client.post(
        admin_url(Company, "changelist"),
        {"action": "approve", "_selected_action": [company.pk for company in pending]},
        follow=True,
    )
    assert response.status_code == 200
    assert "2 companies approved; their buyers were sent an e-mail." in response.content.decode()
    for company in pending:
        company.refresh_from_db()
        assert company.status == CompanyStatus.APPROVED
    other.refresh_from_db()
    assert other.status == CompanyStatus.PENDING


def test_suspend_action_suspends_the_selected_companies(admin_client, store):
    company = CompanyFactory()
    response = admin_client.post(
        admin_url(Company, "changelist"),
        {"action": "suspend", "_selected_action": [company.pk]},
        follow=True,
    )
    assert "1 company suspended." in response.content.decode()
    company.refresh_from_db()
    assert company.status == CompanyStatus.SUSPENDED


def test_companies_are_found_by_a_buyer_email(admin_client, store):
    buyer = UserFactory(email="jan.peeters@vdb.example", company=CompanyFactory(belgian=True))
    CompanyFactory.create_batch(3)
    response = admin_client.get(admin_url(Company, "changelist"), {"q": "jan.peeters@vdb"})
    content = response.content.decode()
    assert admin_url(Company, "change", buyer.company.pk) in content
    assert response.context["cl"].result_count == 1


def test_company_change_page_edits_addresses_and_buyers_and_shows_certificates(admin_client, store):
    """Certificates are listed read-only: their review happens on their own page."""
    company = CompanyFactory(american=True)
    AddressFactory(company=company)
    buyer = UserFactory(company=company)
    TaxCertificateFactory(company=company, number="ST-120-555")
    url = admin_url(Company, "change", company.pk)
    response = admin_client.get(url)
    content = response.content.decode()
    assert 'name="addresses-0-line1"' in content
    assert 'name="users-0-email"' in content
    assert 'name="tax_certificates-0-number"' not in content
    assert 'name="tax_certificates-0-status"' not in content
    assert "ST-120-555" in content

    data = form_data(response, Company)
    data["users-0-role"] = ADMINISTRATOR
    data["users-TOTAL_FORMS"] = "2"
    data.update({"users-1-email": "New.Buyer@Example.com", "users-1-role": BUYER})
    data["users-1-is_active"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    buyer.refresh_from_db()
    assert buyer.role == ADMINISTRATOR
    assert company.users.filter(email="new.buyer@example.com", is_staff=False).exists()


# Orders


def test_order_lines_totals_and_status_are_read_only_on_the_change_page(admin_client, store):
    """The status changes through the actions (which restore stock); payment status here."""
    product = ProductFactory(sku="SCR-4X40")
    order = create_order(company=CompanyFactory(), items=[(product, 24, Decimal("9.50"))])
    url = admin_url(Order, "change", order.pk)
    response = admin_client.get(url)
    content = response.content.decode()
    assert 'name="lines-0-quantity"' not in content
    assert 'name="tax_lines-0-rate"' not in content
    assert 'name="total"' not in content
    assert "SCR-4X40" in content
    assert "228.00" in content
    assert '<select name="status"' not in content
    assert 'name="payment_status"' in content

    data = form_data(response, Order)
    data.update(
        {
            "status": OrderStatus.SHIPPED,
            "payment_status": PaymentStatus.PAID,
            "lines-0-quantity": "999",
            "lines-0-unit_price": "0.01",
            "total": "1.00",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.PLACED, PaymentStatus.PAID)
    assert order.total == Decimal("291.60")
    line = order.lines.get()
    assert (line.quantity, line.unit_price) == (24, Decimal("9.5000"))


def test_orders_cannot_be_deleted(admin_client, store):
    order = create_order(company=CompanyFactory(), items=[(ProductFactory(), 1, Decimal("5"))])
    assert admin_client.get(admin_url(Order, "delete", order.pk)).status_code == 403
    line = order.lines.get()
    assert admin_client.get(admin_url(OrderLine, "delete", line.pk)).status_code == 403


# Store


def test_the_store_cannot_be_deleted(admin_client, store):
    assert admin_client.get(admin_url(Store, "delete", store.pk)).status_code == 403
    response = admin_client.get(admin_url(Store, "change", store.pk))
    assert admin_url(Store, "delete", store.pk) not in response.content.decode()


@pytest.mark.django_db
def test_the_store_can_be_added_while_there_is_none(admin_client):
    assert admin_client.get(admin_url(Store, "add")).status_code == 200


# Users


def test_a_user_is_added_with_an_email_and_a_password(admin_client, store):
    company = CompanyFactory()
    response = admin_client.post(
        admin_url(User, "add"),
        {
            "email": "Paul.Martin@Martin-BTP.example",
            "usable_password": "true",
            "password1": "Quincaillerie-2026",
            "password2": "Quincaillerie-2026",
            "company": company.pk,
            "role": BUYER,
        },
    )
    assert response.status_code == 302, response.context["errors"]
    user = User.objects.get(email="paul.martin@martin-btp.example")
    assert user.company == company
    assert user.check_password("Quincaillerie-2026")
    assert not user.is_staff


def test_user_change_page_links_to_the_password_form(admin_client, store):
    buyer = UserFactory()
    response = admin_client.get(admin_url(User, "change", buyer.pk))
    content = response.content.decode()
    assert "../password/" in content
    assert 'name="username"' not in content
    assert (
        admin_client.get(reverse("admin:auth_user_password_change", args=[buyer.pk])).status_code
        == 200
    )


def test_users_are_filtered_by_company_status(admin_client, store):
    active = UserFactory(company=CompanyFactory())
    waiting = UserFactory(company=CompanyFactory(pending=True))
    response = admin_client.get(admin_url(User, "changelist"), {"company_status": "pending"})
    content = response.content.decode()
    assert waiting.email in content
    assert active.email not in content


# Payment and shipping conditions


def test_country_list_field_cleans_to_a_sorted_list_or_none():
    field = CountryListField()
    assert field.clean("fr, BE") == ["BE", "FR"]
    assert field.clean("DE;fr  fr") == ["DE", "FR"]
    assert field.clean("  ") is None
    assert field.prepare_value(["BE", "FR"]) == "BE, FR"
    with pytest.raises(ValidationError) as refused:
        field.clean("FR, XX")
    assert refused.value.messages == ["XX is not an ISO 3166 country code."]


def test_shipping_method_countries_are_typed_as_text(admin_client, store):
    data = {
        "code": "EXPRESS",
        "name": "Express 24 h",
        "active": "on",
        "position": "1",
        "price": "25.00",
        "countries": "fr, BE",
    }
    response = admin_client.post(admin_url(ShippingMethod, "add"), data)
    assert response.status_code == 302, response.context["errors"]
    method = ShippingMethod.objects.get(code="EXPRESS")
    assert method.countries == ["BE", "FR"]
    response = admin_client.get(admin_url(ShippingMethod, "change", method.pk))
    assert 'value="BE, FR"' in response.content.decode()

    response = admin_client.post(
        admin_url(ShippingMethod, "add"), {**data, "code": "BAD", "countries": "FR, XX"}
    )
    assert response.status_code == 200
    assert "XX is not an ISO 3166 country code." in response.content.decode()
    assert not ShippingMethod.objects.filter(code="BAD").exists()


def test_blank_countries_mean_every_country(admin_client, store):
    method = PaymentMethodFactory(code="CHEQUE", type="cheque", countries=["FR"])
    url = admin_url(PaymentMethod, "change", method.pk)
    data = form_data(admin_client.get(url), PaymentMethod)
    data["countries"] = ""
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    method.refresh_from_db()
    assert method.countries is None


# Price lists


def test_price_list_inline_edits_the_tiers(admin_client, store):
    price_list = PriceListFactory(code="PRO-2026")
    PriceEntryFactory.create_batch(3, price_list=price_list)
    response = admin_client.get(admin_url(PriceList, "change", price_list.pk))
    content = response.content.decode()
    assert 'name="entries-INITIAL_FORMS" value="3"' in content
    assert 'name="entries-2-product"' in content


def test_a_long_price_list_offers_new_tiers_only(admin_client, store, monkeypatch):
    monkeypatch.setattr(PriceEntryInline, "max_shown", 2)
    price_list = PriceListFactory(code="PRO-2026")
    PriceEntryFactory.create_batch(3, price_list=price_list)
    url = admin_url(PriceList, "change", price_list.pk)
    response = admin_client.get(url)
    content = response.content.decode()
    assert 'name="entries-INITIAL_FORMS" value="0"' in content
    assert "too many to edit here" in content
    assert f"{admin_url(PriceEntry, 'changelist')}?price_list__id__exact={price_list.pk}" in (
        content
    )

    product = ProductFactory(sku="NEW-1")
    data = form_data(response, PriceList)
    data.update({"entries-0-product": product.pk, "entries-0-min_qty": "1"})
    data["entries-0-price"] = "4.20"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert price_list.entries.count() == 4
    assert price_list.entries.get(product=product).price == Decimal("4.2000")


def test_price_list_change_page_queries_do_not_grow_with_entries(
    admin_client, store, django_assert_max_num_queries
):
    price_list = PriceListFactory(code="PRO-2026")
    PriceEntryFactory(price_list=price_list)
    url = admin_url(PriceList, "change", price_list.pk)
    with django_assert_max_num_queries(15):
        assert admin_client.get(url).status_code == 200
    PriceEntryFactory.create_batch(40, price_list=price_list)
    with django_assert_max_num_queries(15):
        assert admin_client.get(url).status_code == 200


def test_price_entries_are_found_by_sku_and_filtered_by_list(admin_client, store):
    pro = PriceListFactory(code="PRO-2026")
    entry = PriceEntryFactory(price_list=pro, product=ProductFactory(sku="SCR-4X40"))
    PriceEntryFactory(price_list=store.base_price_list, product=entry.product)
    PriceEntryFactory.create_batch(3, price_list=pro)
    response = admin_client.get(
        admin_url(PriceEntry, "changelist"), {"q": "SCR-4X40", "price_list__id__exact": pro.pk}
    )
    assert response.context["cl"].result_count == 1
    assert admin_url(PriceEntry, "change", entry.pk) in response.content.decode()


# Tax certificates


def test_certificate_document_is_served_to_staff_only(admin_client, client, store):
    certificate = TaxCertificateFactory(number="ST-120-42")
    certificate.document.save("resale-certificate.pdf", ContentFile(b"%PDF-1.7 test"))
    url = reverse("admin:tax_taxcertificate_document", args=[certificate.pk])

    response = admin_client.get(admin_url(TaxCertificate, "change", certificate.pk))
    assert f'href="{url}"' in response.content.decode()
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"

    assert client.get(url).status_code == 302  # to the login page


def test_certificate_documents_that_could_run_scripts_are_downloaded(admin_client, store):
    certificate = TaxCertificateFactory()
    certificate.document.save("page.html", ContentFile(b"<script>alert(1)</script>"))
    response = admin_client.get(reverse("admin:tax_taxcertificate_document", args=[certificate.pk]))
    assert response["Content-Disposition"].startswith("attachment")


def test_approve_certificates_action(admin_client, store):
    certificate = TaxCertificateFactory(status=CertificateStatus.PENDING)
    admin_client.post(
        admin_url(TaxCertificate, "changelist"),
        {"action": "approve", "_selected_action": [certificate.pk]},
    )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.APPROVED


# Queries do not grow with the rows shown

MAX_CHANGELIST_QUERIES = 12


def _products(count):
    ProductFactory.create_batch(count)


def _companies(count):
    for company in CompanyFactory.create_batch(count):
        UserFactory(company=company)


def _orders(count):
    product = ProductFactory()
    for _ in range(count):
        create_order(company=CompanyFactory(), items=[(product, 2, Decimal("12.30"))])


@pytest.mark.parametrize(
    ("model", "make"),
    [(Product, _products), (Company, _companies), (Order, _orders)],
    ids=["product", "company", "order"],
)
def test_changelist_queries_do_not_grow_with_rows(
    admin_client, store, django_assert_max_num_queries, model, make
):
    url = admin_url(model, "changelist")
    make(1)
    with django_assert_max_num_queries(MAX_CHANGELIST_QUERIES):
        response = admin_client.get(url)
    assert response.context["cl"].result_count == 1
    make(49)
    with django_assert_max_num_queries(MAX_CHANGELIST_QUERIES):
        response = admin_client.get(url)
    assert response.context["cl"].result_count == 50


# Product rules and lookups


def test_a_product_whose_minimum_is_not_a_multiple_of_the_step_is_refused(admin_client, store):
    data = {
        "sku": "GLV-NIT-9",
        "name": "Nitrile work gloves, size 9",
        "tax_class": "standard",
        "unit": "case",
        "pack_size": "12",
        "min_qty": "5",
        "qty_step": "12",
        "stock": "40",
        "active": "on",
        "visibility": "all",
        "price_entries-TOTAL_FORMS": "0",
        "price_entries-INITIAL_FORMS": "0",
        "packagings-TOTAL_FORMS": "0",
        "packagings-INITIAL_FORMS": "0",
        **{
            f"{prefix}-{count}_FORMS": "0"
            for prefix in ("images", "documents", "attribute_values")
            for count in ("TOTAL", "INITIAL")
        },
    }
    response = admin_client.post(admin_url(Product, "add"), data)
    assert response.status_code == 200
    assert response.context["errors"]
    assert not Product.objects.filter(sku="GLV-NIT-9").exists()

    response = admin_client.post(admin_url(Product, "add"), {**data, "min_qty": "24"})
    assert response.status_code == 302, response.context["errors"]
    assert Product.objects.get(sku="GLV-NIT-9").min_qty == 24


def test_products_are_picked_by_sku_in_autocomplete_fields(admin_client, store):
    ProductFactory(sku="SCR-4X40", name="Wood screws 4 × 40 mm")
    ProductFactory.create_batch(3)
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "pricing",
            "model_name": "priceentry",
            "field_name": "product",
            "term": "SCR-4X",
        },
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == [
        "SCR-4X40 — Wood screws 4 × 40 mm"
    ]
