"""Company profiles for segmentation, computed by the database (DESIGN.md "Segmentation").

One query reads every company with its metrics as correlated aggregate subqueries, streamed
in chunks, plus one query for the category tree and, when no time zone is given, one for
the store: memory follows the chunk, never the number of orders.

Definitions (`today` is the store's date; days are dates in the store's time zone):

- **the 12 months**: orders placed from `today - 365 days` to `today`, both days included,
  that are not cancelled. Orders placed after `today` are not counted.
- **order volume (net)**: Σ (subtotal − discount_total) of those orders, i.e. merchandise net
  of promotions and volume discounts, before shipping and tax; 0.00 without orders.
- **order count**: the number of those orders.
- **units**: Σ of their lines' quantities (selling units).
- **categories bought**: the category codes their lines were bought under (the code the line
  kept when placed) and every ancestor of those codes in today's category tree, so a rule on
  a top category ("hygiene") matches a buyer of its subcategories ("savons").
- **average days between orders**: (last − first order date) / (count − 1) over those
  orders, rounded half-up to 0.01; None with fewer than 2 orders.
- **days since the last order**: `today` − the date of the last non-cancelled order placed
  on or before `today`, however old; None when the company never ordered.
"""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import (
    Aggregate,
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from comptoir.catalog.models import Category
from comptoir.core import trees
from comptoir.core.money import quantize, round2
from comptoir.core.selectors import get_store
from comptoir.customers.models import Company
from comptoir.customers.segmentation import CompanyProfile
from comptoir.ordering.models import Order, OrderLine, OrderStatus

WINDOW_DAYS = 365
CHUNK_SIZE = 2000
AMOUNT = DecimalField(max_digits=16, decimal_places=2)
HUNDREDTH = Decimal("0.01")


class CodeList(Aggregate):
    """The distinct values of a text column, comma-joined, in no particular order.

    GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL; codes never contain commas.
    """

    function = "GROUP_CONCAT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(DISTINCT %(expressions)s, ',')",
            **extra_context,
        )


def window(today: datetime.date, time_zone: str) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of the 12 months ending with `today`, as aware datetimes."""
    zone = ZoneInfo(time_zone)
    start = datetime.datetime.combine(
        today - datetime.timedelta(days=WINDOW_DAYS), datetime.time.min, tzinfo=zone
    )
    end = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def _per_company(queryset: QuerySet, company_field: str, **aggregate) -> Subquery:
    """A one-value subquery aggregating the rows of the outer company."""
    (name,) = aggregate
    return Subquery(
        queryset.filter(**{company_field: OuterRef("pk")})
        .order_by()
        .values(company_field)
        .annotate(**aggregate)
        .values(name)
    )


def _orders(start, end) -> QuerySet:
    """The company's orders that count: placed in [start, end), not cancelled."""
    return Order.objects.filter(placed_at__lt=end, placed_at__gte=start).exclude(
        status=OrderStatus.CANCELLED
    )


def _lines(start, end) -> QuerySet:
    return OrderLine.objects.filter(order__placed_at__lt=end, order__placed_at__gte=start).exclude(
        order__status=OrderStatus.CANCELLED
    )


def with_order_metrics(queryset: QuerySet, *, today: datetime.date, time_zone: str) -> QuerySet:
    """Companies annotated with `order_count_12m`, `order_volume_12m` and `last_order_at`
    (the back-office list's columns and filters), each a correlated aggregate subquery."""
    start, end = window(today, time_zone)
    orders = _orders(start, end)
    return queryset.annotate(
        order_count_12m=Coalesce(
            _per_company(orders, "company", n=Count("pk")), 0, output_field=IntegerField()
        ),
        order_volume_12m=Coalesce(
            _per_company(
                orders,
                "company",
                v=Sum(F("subtotal") - F("discount_total"), output_field=AMOUNT),
            ),
            Value(Decimal("0.00")),
            output_field=AMOUNT,
        ),
        last_order_at=_per_company(
            Order.objects.filter(placed_at__lt=end).exclude(status=OrderStatus.CANCELLED),
            "company",
            last=Max("placed_at"),
        ),
    )


def with_profile_metrics(queryset: QuerySet, *, today: datetime.date, time_zone: str) -> QuerySet:
    """`with_order_metrics` plus the first and last order dates of the 12 months, the units
    and the comma-joined category codes (without their ancestors)."""
    start, end = window(today, time_zone)
    orders = _orders(start, end)
    lines = _lines(start, end)
    return with_order_metrics(queryset, today=today, time_zone=time_zone).annotate(
        first_order_at_12m=_per_company(orders, "company", first=Min("placed_at")),
        last_order_at_12m=_per_company(orders, "company", last=Max("placed_at")),
        units_12m=Coalesce(
            # Units of the product's unit: a line of 3 cases of 144 counts 432.
            _per_company(lines, "order__company", u=Sum(Coalesce("base_quantity", "quantity"))),
            0,
            output_field=IntegerField(),
        ),
        category_codes_12m=_per_company(
            lines.exclude(category_code=""), "order__company", codes=CodeList("category_code")
        ),
    )


def category_ancestry() -> dict[str, frozenset[str]]:
    """Each category code with itself and its ancestors (one query; the tree is small)."""
    parents = dict(Category.objects.values_list("code", "parent__code"))
    return {code: frozenset(trees.ancestry(code, parents)) for code in parents}


def company_profiles(
    companies: QuerySet | None = None,
    *,
    today: datetime.date,
    time_zone: str | None = None,
) -> Iterator[CompanyProfile]:
    """The profile of every company (or of `companies`), by id, streamed.

    Queries: the store (only without `time_zone`), the category tree, then one query for
    the companies, read in chunks of CHUNK_SIZE.
    """
    if time_zone is None:
        time_zone = get_store().time_zone
    zone = ZoneInfo(time_zone)
    ancestry = category_ancestry()
    queryset = Company.objects.all() if companies is None else companies
    rows = (
        with_profile_metrics(queryset.order_by(), today=today, time_zone=time_zone)
        .order_by("pk")
        .values_list(
            "pk",
            "code",
            "name",
            "group_id",
            "pinned_group",
            "country",
            "region",
            "order_volume_12m",
            "order_count_12m",
            "first_order_at_12m",
            "last_order_at_12m",
            "units_12m",
            "category_codes_12m",
            "last_order_at",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for row in rows:
        (pk, code, name, group_id, pinned, country, region, volume, count) = row[:9]
        first_at, last_at, units, codes, last_ever_at = row[9:]
        average = None
        if count >= 2:
            days = (last_at.astimezone(zone).date() - first_at.astimezone(zone).date()).days
            average = quantize(Decimal(days) / (count - 1), HUNDREDTH)
        last_on = last_ever_at.astimezone(zone).date() if last_ever_at else None
        bought = set()
        for category in codes.split(",") if codes else ():
            bought |= ancestry.get(category, {category})
        yield CompanyProfile(
            company_id=pk,
            code=code,
            name=name,
            group_id=group_id,
            pinned=pinned,
            country=country,
            region=region,
            # SQLite sums binary floats: back to cents (exact on PostgreSQL already).
            order_volume_12m=round2(volume),
            order_count_12m=count,
            avg_days_between_orders=average,
            units_12m=units,
            categories_bought=frozenset(category.casefold() for category in bought),
            days_since_last_order=(today - last_on).days if last_on else None,
            last_order_on=last_on,
        )
