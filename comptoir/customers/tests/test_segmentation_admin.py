"""The back office: profile columns and filters on companies, the audit trail on a company,
the segmentation preview and its Apply button, and the validation of conditions."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from comptoir.customers.models import (
    Company,
    GroupMove,
    SegmentationCondition,
)
from comptoir.customers.segmentation_services import segmentation_preview
from tests.factories import (
    CompanyFactory,
    CustomerGroupFactory,
    ProductFactory,
    SegmentationConditionFactory,
    SegmentationRuleFactory,
    StaffUserFactory,
    UserFactory,
    create_order,
)

pytestmark = pytest.mark.django_db

COMPANIES = reverse("admin:customers_company_changelist")
PREVIEW = reverse("admin:customers_segmentationrule_preview")
RULES = reverse("admin:customers_segmentationrule_changelist")


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def buyers(store):
    """Three companies seen from the real today: a big buyer, a small one, and one that never
    ordered; a rule sends big buyers to WHOLESALE."""
    wholesale = CustomerGroupFactory(code="WHOLESALE", name="Wholesalers")
    product = ProductFactory(sku="PAL-1")
    big = CompanyFactory(code="BIG", name="Big Buyer SA", group=store.default_group)
    create_order(company=big, items=[(product, 10, Decimal("4000.00"))], placed_at=days_ago(100))
    create_order(company=big, items=[(product, 3, Decimal("4000.00"))], placed_at=days_ago(2))
    # Older than 12 months: not in the volume, but the last order of SMALL is recent.
    small = CompanyFactory(code="SMALL", name="Small Shop", group=store.default_group)
    create_order(company=small, items=[(product, 1, Decimal("250.00"))], placed_at=days_ago(40))
    create_order(company=small, items=[(product, 50, Decimal("4000.00"))], placed_at=days_ago(400))
    never = CompanyFactory(code="NEVER", name="Never Ordered", group=wholesale)
    rule = SegmentationRuleFactory(position=1, group=wholesale)
    SegmentationConditionFactory(rule=rule, field="order_volume_12m", op=">=", value="50000")
    return big, small, never


def listed(response):
    return sorted(company.code for company in response.context["cl"].result_list)


# Columns and filters


def test_the_company_list_shows_the_profile_columns(admin_client, buyers):
    response = admin_client.get(COMPANIES)
    rows = {c.code: c for c in response.context["cl"].result_list}
    assert rows["BIG"].order_volume_12m == Decimal("52000.00")
    assert rows["BIG"].order_count_12m == 2
    assert rows["BIG"].last_order_on == timezone.localdate(days_ago(2))
    assert rows["SMALL"].order_volume_12m == Decimal("250.00")
    assert rows["SMALL"].order_count_12m == 1
    assert rows["NEVER"].order_volume_12m == Decimal("0.00")
    assert rows["NEVER"].last_order_on is None
    content = response.content.decode()
    assert "Order volume 12 m" in content
    assert '<td class="field-volume_12m">52000.00</td>' in content


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("ge50k", ["BIG"]),
        ("lt1k", ["SMALL"]),
        ("none", ["NEVER"]),
        ("10k-50k", []),
    ],
)
def test_companies_are_filtered_by_order_volume(admin_client, buyers, value, codes):
    response = admin_client.get(COMPANIES, {"volume_12m": value})
    assert listed(response) == codes


@pytest.mark.parametrize(
    ("value", "codes"),
    [("30", ["BIG"]), ("90", ["BIG", "SMALL"]), ("never", ["NEVER"]), ("older", [])],
)
def test_companies_are_filtered_by_last_order(admin_client, buyers, value, codes):
    assert listed(admin_client.get(COMPANIES, {"last_order": value})) == codes


def test_companies_are_sorted_by_order_volume(admin_client, buyers):
    cl = admin_client.get(COMPANIES).context["cl"]
    column = list(cl.list_display).index("volume_12m")
    response = admin_client.get(COMPANIES, {"o": f"-{column}"})
    assert [c.code for c in response.context["cl"].result_list] == ["BIG", "SMALL", "NEVER"]


def test_search_by_buyer_email_keeps_the_columns(admin_client, buyers):
    big, _, _ = buyers
    UserFactory(company=big, email="anna@big.example")
    response = admin_client.get(COMPANIES, {"q": "anna@big", "volume_12m": "ge50k"})
    assert listed(response) == ["BIG"]
    assert response.context["cl"].result_list[0].order_volume_12m == Decimal("52000.00")


def test_the_company_list_queries_do_not_grow_with_rows(
    admin_client, store, django_assert_num_queries
):
    product = ProductFactory()

    def make(count):
        for company in CompanyFactory.create_batch(count):
            create_order(company=company, items=[(product, 2, Decimal("9.00"))])

    make(1)
    # Session, user, store, groups (filter), count, total count, store check, rows, countries.
    with django_assert_num_queries(9) as one:
        response = admin_client.get(COMPANIES, {"volume_12m": "lt1k"})
    assert response.context["cl"].result_count == 1
    make(49)
    with django_assert_num_queries(len(one.captured_queries)):
        response = admin_client.get(COMPANIES, {"volume_12m": "lt1k"})
    assert response.context["cl"].result_count == 50


# The company page


def test_the_company_page_shows_its_profile_and_audit_trail(admin_client, buyers):
    big, _, _ = buyers
    response = admin_client.get(PREVIEW)
    admin_client.post(PREVIEW, {"fingerprint": response.context["plan"].fingerprint})
    response = admin_client.get(reverse("admin:customers_company_change", args=[big.pk]))
    content = response.content.decode()
    assert "Group changes (audit trail)" in content
    assert "#1 → WHOLESALE: order_volume_12m &gt;= 50000" in content
    assert "Segmentation rules" in content  # the source
    assert "Rule 1 matches: group WHOLESALE." in content
    assert "<th>categories bought</th><td>-</td>" not in content
    assert "<th>order volume 12 m (net)</th><td>52000.00</td>" in content


def test_a_group_changed_by_hand_is_logged_with_the_staff_user(admin_client, admin_user, store):
    from tests.test_admin import form_data

    pro = CustomerGroupFactory(code="PRO", name="Professionals")
    company = CompanyFactory(code="HAND", group=store.default_group)
    url = reverse("admin:customers_company_change", args=[company.pk])
    data = form_data(admin_client.get(url), Company)
    data["group"] = str(pro.pk)
    response = admin_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "pin its group to keep it in PRO" in response.content.decode()
    move = GroupMove.objects.get(company=company)
    assert (move.from_group_code, move.to_group_code) == ("RETAIL", "PRO")
    assert (move.source, move.moved_by, move.rule) == ("manual", admin_user, None)
    # Saving again without changing the group logs nothing more.
    data = form_data(admin_client.get(url), Company)
    data["pinned_group"] = "on"
    admin_client.post(url, data)
    assert GroupMove.objects.filter(company=company).count() == 1


# The preview page


def test_the_rules_list_links_to_the_preview(admin_client, store):
    assert PREVIEW in admin_client.get(RULES).content.decode()


def test_the_preview_lists_the_moves_without_moving(admin_client, buyers):
    response = admin_client.get(PREVIEW)
    assert response.status_code == 200
    content = response.content.decode()
    assert "2 companies would move." in content
    assert "#1 → WHOLESALE: order_volume_12m &gt;= 50000" in content
    assert "RETAIL → WHOLESALE" in content
    assert "WHOLESALE → RETAIL" in content
    assert "BIG" in content and "NEVER" in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert dict(Company.objects.values_list("code", "group__code")) == {
        "BIG": "RETAIL",
        "SMALL": "RETAIL",
        "NEVER": "WHOLESALE",
    }


def test_apply_moves_the_companies_and_logs_the_staff_user(admin_client, admin_user, buyers):
    plan = admin_client.get(PREVIEW).context["plan"]
    response = admin_client.post(PREVIEW, {"fingerprint": plan.fingerprint}, follow=True)
    assert response.redirect_chain == [(PREVIEW, 302)]
    assert "2 companies moved." in response.content.decode()
    assert "0 companies would move." in response.content.decode()
    assert dict(Company.objects.values_list("code", "group__code")) == {
        "BIG": "WHOLESALE",
        "SMALL": "RETAIL",
        "NEVER": "RETAIL",
    }
    assert set(GroupMove.objects.values_list("moved_by", flat=True)) == {admin_user.pk}


def test_apply_refuses_an_outdated_preview(admin_client, buyers):
    plan = admin_client.get(PREVIEW).context["plan"]
    Company.objects.filter(code="NEVER").update(pinned_group=True)
    response = admin_client.post(PREVIEW, {"fingerprint": plan.fingerprint})
    assert response.status_code == 200
    assert "changed since the preview" in response.content.decode()
    assert "1 company would move." in response.content.decode()
    assert not GroupMove.objects.exists()


def test_apply_needs_the_right_to_change_companies(client, buyers):
    staff = StaffUserFactory()
    staff.user_permissions.add(Permission.objects.get(codename="view_segmentationrule"))
    client.force_login(staff)
    response = client.get(PREVIEW)
    assert response.status_code == 200
    assert 'id="segmentation-apply"' not in response.content.decode()
    plan = segmentation_preview()
    assert client.post(PREVIEW, {"fingerprint": plan.fingerprint}).status_code == 403
    assert not GroupMove.objects.exists()


def test_the_preview_needs_the_right_to_see_the_rules(client, store):
    client.force_login(StaffUserFactory())
    assert client.get(PREVIEW).status_code == 403


def test_the_preview_queries_do_not_grow_with_companies(
    admin_client, buyers, django_assert_num_queries
):
    admin_client.get(PREVIEW)
    with django_assert_num_queries(9) as few:
        admin_client.get(PREVIEW)
    product = ProductFactory()
    for company in CompanyFactory.create_batch(30):
        create_order(company=company, items=[(product, 1, Decimal("60000.00"))])
    with django_assert_num_queries(len(few.captured_queries)):
        response = admin_client.get(PREVIEW)
    assert "32 companies would move." in response.content.decode()


# Conditions as the back office validates them


@pytest.mark.parametrize(
    ("field", "op", "value"),
    [
        ("order_volume_12m", ">=", "50000"),
        ("avg_days_between_orders", "<", "30.5"),
        ("order_count_12m", "in", "1, 2,3"),
        ("country", "in", "FR,BE"),
        ("region", "=", "NY"),
        ("categories_bought", "!=", "hygiene"),
    ],
)
def test_valid_conditions(store, field, op, value):
    rule = SegmentationRuleFactory()
    SegmentationCondition(rule=rule, field=field, op=op, value=value).full_clean()


@pytest.mark.parametrize(
    ("field", "op", "value", "error"),
    [
        ("order_volume_12m", ">=", "50 000", "value"),
        ("order_volume_12m", "in", "1,x", "value"),
        ("units_12m", "=", "NaN", "value"),
        ("country", "<", "FR", "op"),
        ("categories_bought", ">", "hygiene", "op"),
        ("categories_bought", "in", " , ", "value"),
    ],
)
def test_invalid_conditions(store, field, op, value, error):
    rule = SegmentationRuleFactory()
    with pytest.raises(ValidationError) as refusal:
        SegmentationCondition(rule=rule, field=field, op=op, value=value).full_clean()
    assert error in refusal.value.message_dict
