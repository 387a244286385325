"""Second-pass writes of company teams (issue 15): store roles, locations, users' locations.

A company whose bundle item has no `locations` keeps the ones it has (or gets its main one);
one that lists them gets exactly those, with the addresses each ships to.
"""

from comptoir.accounts.models import Role, User
from comptoir.bundle.sync import sync_children, sync_m2m, upsert
from comptoir.customers.models import Address, Location
from comptoir.customers.services import locations_ensure


def write_roles(items) -> int:
    upsert(
        Role, ("code",), {(r.code,): {"name": r.name, "permissions": r.permissions} for r in items}
    )
    return len(items)


def write_locations(companies, company_ids: dict[tuple, int]) -> None:
    listed = {company_ids[(c.code,)]: c for c in companies if c.locations is not None}
    sync_children(
        Location,
        "company_id",
        listed,
        ("code",),
        [
            {"company_id": company_id, "code": location.code, "name": location.name, "position": n}
            for company_id, company in listed.items()
            for n, location in enumerate(company.locations)
        ],
    )
    locations_ensure(company_ids=list(company_ids.values()))
    if not listed:
        return
    locations = {
        (company_id, code): pk
        for pk, company_id, code in Location.objects.filter(company_id__in=listed).values_list(
            "id", "company_id", "code"
        )
    }
    addresses = {
        (company_id, code): pk
        for pk, company_id, code in Address.objects.filter(company_id__in=listed).values_list(
            "id", "company_id", "code"
        )
    }
    shipping, billing = {}, {}
    for company_id, company in listed.items():
        for location in company.locations:
            location_id = locations[(company_id, location.code)]
            for code in location.addresses:
                shipping[addresses[(company_id, code)]] = location_id
            if location.billing_address is not None:
                billing[location_id] = addresses[(company_id, location.billing_address)]
    _set_changed(Address, "location_id", Address.objects.filter(company_id__in=listed), shipping)
    _set_changed(
        Location, "billing_address_id", Location.objects.filter(pk__in=locations.values()), billing
    )


def _set_changed(model, field, queryset, wanted: dict[int, int]) -> None:
    """Writes `field` = wanted[id] (None where absent) on the rows whose value differs."""
    changed = [
        model(id=pk, **{field: wanted.get(pk)})
        for pk, current in queryset.values_list("id", field)
        if current != wanted.get(pk)
    ]
    model.objects.bulk_update(changed, [field])


def write_user_locations(companies, company_ids: dict[tuple, int], user_ids: dict[tuple, int]):
    """Users limited to locations get exactly those; the others act for every location."""
    locations = {
        (company_id, code): pk
        for pk, company_id, code in Location.objects.filter(
            company_id__in=company_ids.values()
        ).values_list("id", "company_id", "code")
    }
    sync_m2m(
        User,
        "locations",
        {
            user_ids[(user.email.lower(),)]: {
                locations[(company_ids[(company.code,)], code)] for code in user.locations or ()
            }
            for company in companies
            for user in company.users
        },
    )


class LocationIds:
    """Location ids by company code and location code; an order naming none gets its
    company's first location."""

    def __init__(self):
        self.by_code: dict[tuple[str, str], int] = {}
        self.first: dict[str, int] = {}
        rows = Location.objects.order_by("position", "id").values_list(
            "id", "company__code", "code"
        )
        for pk, company, code in rows:
            self.by_code[(company, code.lower())] = pk
            self.first.setdefault(company, pk)

    def of(self, company: str, code: str | None) -> int | None:
        if code is None:
            return self.first.get(company)
        return self.by_code[(company, code.lower())]
