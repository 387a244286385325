"""The rows of an ordering table (a listing's table view, a family's grid): each offer with
what its quantity box shows, and the posted form read back into quick-order rows."""

from dataclasses import dataclass

from comptoir.catalog.family_selectors import FamilyLink
from comptoir.catalog.selectors import sku_key
from comptoir.ordering.services import MAX_IMPORT_LINES, parse_quantity
from comptoir.pricing.offers import Offer

TABLE, CARDS = "table", "cards"


@dataclass(frozen=True)
class OrderRow:
    """An offer as a row or cell: its packagings, family, and what was typed and refused."""

    offer: Offer
    packagings: tuple = ()
    family: FamilyLink | None = None
    quantity: str = ""
    unit: str = ""
    error: str = ""

    @property
    def sku(self) -> str:
        return self.offer.product.sku


@dataclass(frozen=True)
class Posted:
    """An add-all form as sent: its SKUs in order, the rows with a quantity, what was typed."""

    skus: list[str]
    rows: list[tuple[int, str, str, str | None]]
    typed: dict[str, str]
    units: dict[str, str]


def view_mode(request) -> str:
    """The listing's view from the query string: the table, or the cards by default."""
    return TABLE if request.GET.get("view") == TABLE else CARDS


def posted(data) -> Posted:
    """The rows of an add-all form: every `sku` field names a row, `qty:<sku>` its quantity
    and `unit:<sku>` its unit; an empty or zero quantity is no row. One more SKU than quick
    order takes is kept, so the service refuses the form as too long."""
    skus, rows, typed, units = [], [], {}, {}
    for sku in data.getlist("sku")[: MAX_IMPORT_LINES + 1]:
        key = sku_key(sku)
        if not sku or key in typed:
            continue
        quantity = data.get(f"qty:{sku}", "").strip()[:20]
        unit = data.get(f"unit:{sku}", "").strip()[:20]
        skus.append(sku)
        typed[key], units[key] = quantity, unit
        if quantity and parse_quantity(quantity) != 0:
            rows.append((len(rows) + 1, sku, quantity, unit or None))
    return Posted(skus, rows, typed, units)


def order_rows(
    offers: list[Offer],
    *,
    packagings: dict | None = None,
    families: dict | None = None,
    sent: Posted | None = None,
    errors: dict[str, str] | None = None,
) -> list[OrderRow]:
    """The offers as rows; after a refused form, with what was typed and each row's reason."""
    packagings, families, errors = packagings or {}, families or {}, errors or {}
    rows = []
    for offer in offers:
        key = sku_key(offer.product.sku)
        rows.append(
            OrderRow(
                offer,
                tuple(packagings.get(offer.product.pk, ())),
                families.get(offer.product.pk),
                sent.typed.get(key, "") if sent else "",
                sent.units.get(key, "") if sent else "",
                errors.get(key, ""),
            )
        )
    return rows
