"""What may be returned and until when, pure: no ORM, no request.

A delivered order's lines may be returned within the store's window, counted in days from
the day it was delivered (that day plus `window` days, both included: DESIGN.md "Dates");
a window of 0 closes returns. A line's returnable quantity is what was delivered less
what other returns, requested, accepted, received or credited, already hold.
"""

import datetime
from dataclasses import dataclass

REASONS = ("damaged", "wrong_item", "not_as_described", "surplus", "other")
MAX_COMMENT = 1000


@dataclass(frozen=True)
class ReturnRefusal:
    code: str
    params: dict


def last_return_day(delivered_on: datetime.date, window: int) -> datetime.date | None:
    """The last day a return may be asked for, or None when the store takes none."""
    if window <= 0:
        return None
    return delivered_on + datetime.timedelta(days=window)


def window_refusal(
    *, status: str, delivered_on: datetime.date | None, window: int, today: datetime.date
) -> ReturnRefusal | None:
    if status != "delivered" or delivered_on is None:
        return ReturnRefusal("order_not_delivered", {})
    last = last_return_day(delivered_on, window)
    if last is None:
        return ReturnRefusal("returns_closed", {})
    if today > last:
        return ReturnRefusal("return_window_over", {"date": last})
    return None


def quantity_refusals(
    wanted: dict[int, int], delivered: dict[int, int], held: dict[int, int], skus: dict[int, str]
) -> list[ReturnRefusal]:
    """Why some of `wanted` (order line id → quantity) cannot be returned: lines not of the
    order, quantities not whole numbers above 0, or above delivered − held."""
    refusals = []
    if not wanted:
        return [ReturnRefusal("return_no_lines", {})]
    for line_id, quantity in wanted.items():
        if line_id not in delivered:
            refusals.append(ReturnRefusal("return_unknown_line", {}))
            continue
        sku = skus[line_id]
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            refusals.append(ReturnRefusal("return_quantity_not_positive", {"sku": sku}))
            continue
        left = delivered[line_id] - held.get(line_id, 0)
        if quantity > left:
            refusals.append(
                ReturnRefusal(
                    "return_quantity_above_delivered",
                    {"sku": sku, "quantity": quantity, "left": max(left, 0)},
                )
            )
    return refusals
