"""Writes of requisition lists: create, rename and share, delete; add lines from a product,
quick-order text, a file, the cart or an order; change, copy, move and remove lines; and put
lines in the cart through the quick-order path, so that the cart's rules and messages apply.

Every input is validated and a refused write changes nothing.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer
from comptoir.accounts.permissions import MANAGE_LISTS
from comptoir.catalog.packagings import (
    max_quantity,
    packagings_of,
    resolve_unit,
    split_quantity_unit,
)
from comptoir.catalog.selectors import sku_key, visible_products, with_skus
from comptoir.core.errors import BusinessRuleError
from comptoir.core.sku_lines import MAX_QUANTITY
from comptoir.customers.models import Location
from comptoir.lists import rules
from comptoir.lists.models import ListLine, RequisitionList
from comptoir.lists.selectors import list_lines, visible_product_ids
from comptoir.ordering.services import (
    MAX_IMPORT_LINES,
    RowResult,
    cart_add_lines,
    cart_contents,
    parse_quantity,
)

MAX_NAME = 120
MAX_NOTE = 500


def list_refusal(viewer: Viewer) -> tuple[str, str] | None:
    """Why the viewer may not keep lists: lists need a user of an approved company whose role
    keeps lists (`manage_lists`)."""
    refusal = viewer.company_refusal()
    if refusal is not None:
        return refusal
    if not viewer.access.allows(MANAGE_LISTS):
        return "permission_denied", _("Your role does not allow you to keep requisition lists.")
    return None


def require_list_keeper(viewer: Viewer) -> None:
    refusal = list_refusal(viewer)
    if refusal is not None:
        raise BusinessRuleError(*refusal)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise BusinessRuleError("permission_denied", message)


def _require_manage(viewer: Viewer, requisition_list: RequisitionList) -> None:
    _require(
        rules.may_manage(requisition_list.facts, user_id=viewer.user.pk, access=viewer.access),
        _("Only the owner of this list may rename, share or delete it."),
    )


def _require_lines(viewer: Viewer, requisition_list: RequisitionList) -> None:
    _require(
        rules.may_change_lines(
            requisition_list.facts, user_id=viewer.user.pk, access=viewer.access
        ),
        _("You may not change this list."),
    )


def _clean_name(name) -> str:
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name:
        raise BusinessRuleError(
            "invalid_name",
            _("Give the list a name."),
            [{"field": "name", "code": "invalid_name", "message": _("Give the list a name.")}],
        )
    if len(name) > MAX_NAME:
        message = _("A list's name has at most %(max)s characters.") % {"max": MAX_NAME}
        raise BusinessRuleError(
            "invalid_name", message, [{"field": "name", "code": "invalid_name", "message": message}]
        )
    return name


def _sharing(viewer: Viewer, sharing, location_code) -> tuple[str, Location | None]:
    """The sharing and its location, checked: a location of the company the user acts for."""
    if sharing not in rules.SHARINGS:
        message = _("Share a list as private, with the company or with a location.")
        raise BusinessRuleError(
            "invalid_sharing",
            message,
            [{"field": "sharing", "code": "invalid_sharing", "message": message}],
        )
    if sharing != rules.LOCATION:
        return sharing, None
    code = (location_code or "").strip() if isinstance(location_code, str) else ""
    location = (
        Location.objects.filter(company=viewer.company, code__iexact=code).first() if code else None
    )
    if location is None or not viewer.access.covers(location.pk):
        message = _("Choose one of your locations to share the list with.")
        raise BusinessRuleError(
            "unknown_location",
            message,
            [{"field": "location", "code": "unknown_location", "message": message}],
        )
    return sharing, location


def _name_taken(owner, name: str, exclude: int | None = None) -> None:
    """Names are unique per owner, in any case."""
    taken = RequisitionList.objects.filter(owner=owner, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        message = _("You already have a list named %(name)s.") % {"name": name}
        raise BusinessRuleError(
            "name_taken", message, [{"field": "name", "code": "name_taken", "message": message}]
        )


def list_create(*, viewer: Viewer, name, sharing=rules.PRIVATE, location=None) -> RequisitionList:
    require_list_keeper(viewer)
    name = _clean_name(name)
    sharing, place = _sharing(viewer, sharing, location)
    _name_taken(viewer.user, name)
    try:
        with transaction.atomic():
            return RequisitionList.objects.create(
                company=viewer.company,
                owner=viewer.user,
                entered_by=viewer.staff,
                name=name,
                sharing=sharing,
                location=place,
            )
    except IntegrityError:  # the same name created at the same moment
        _name_taken(viewer.user, name)
        raise


def list_update(
    *, viewer: Viewer, requisition_list: RequisitionList, name=None, sharing=None, location=None
) -> RequisitionList:
    """Rename or re-share; what is not given stays."""
    require_list_keeper(viewer)
    _require_manage(viewer, requisition_list)
    new_name = _clean_name(name) if name is not None else requisition_list.name
    if sharing is None:
        sharing = requisition_list.sharing
        if location is None and requisition_list.location_id:
            location = requisition_list.location.code
    new_sharing, place = _sharing(viewer, sharing, location)
    _name_taken(requisition_list.owner, new_name, exclude=requisition_list.pk)
    requisition_list.name, requisition_list.sharing = new_name, new_sharing
    requisition_list.location = place
    requisition_list.save(update_fields=["name", "sharing", "location", "updated_at"])
    return requisition_list


def list_delete(*, viewer: Viewer, requisition_list: RequisitionList) -> None:
    require_list_keeper(viewer)
    _require_manage(viewer, requisition_list)
    requisition_list.delete()


def _note(raw) -> str:
    note = raw.strip() if isinstance(raw, str) else ""
    return note[:MAX_NOTE]


def list_add_lines(
    *, viewer: Viewer, requisition_list: RequisitionList, rows: list[tuple]
) -> list[RowResult]:
    """Add rows (row number, sku, quantity as given[, note]); each row gets its own result, a
    bad row never stops the others; quantities of an SKU already on the list add up.

    Only products the caller may see can be added (others are "unknown"), and a quantity is
    a whole number from 1 to 1,000,000. A quantity typed in a packaging ("3 case", the
    packaging found as the cart finds it) is kept in that packaging; quantities of one product
    in two units add up in the product's unit (`_merged`).
    """
    require_list_keeper(viewer)
    _require_lines(viewer, requisition_list)
    if len(rows) > MAX_IMPORT_LINES:
        raise BusinessRuleError(
            "too_many_lines", _("At most %(max)s lines at a time.") % {"max": MAX_IMPORT_LINES}
        )
    visible = with_skus(
        visible_products(group=viewer.group, company=viewer.company),
        [str(row[1]) for row in rows],
    )
    products = {sku_key(product.sku): product for product in visible}
    typed = [
        (row, sku, *split_quantity_unit(raw.strip()), rest)
        if isinstance(raw, str)
        else (row, sku, raw, None, rest)
        for row, sku, raw, *rest in rows
    ]
    packagings = (
        packagings_of(product.pk for product in products.values())
        if any(unit for *_start, unit, _rest in typed)
        else {}
    )
    results, wanted = [], {}
    for row, sku, raw, unit, rest in typed:
        product = products.get(sku_key(str(sku)))
        quantity = parse_quantity(raw)
        packaging = None
        if product is not None and quantity and unit:
            try:
                packaging = resolve_unit(product, unit, packagings.get(product.pk, []))
            except BusinessRuleError as refused:
                results.append(RowResult(row, sku, None, "error", refused.code, refused.message))
                continue
        if product is None:
            message = _("Unknown SKU %(sku)s.") % {"sku": sku}
            results.append(RowResult(row, sku, None, "error", "unknown_sku", message))
        elif not quantity:
            message = _("%(quantity)s is not a quantity (a whole number from 1 to 1,000,000).") % {
                "quantity": raw
            }
            results.append(RowResult(row, sku, None, "error", "invalid_quantity", message))
        else:
            before, held, note = wanted.get(product, (0, packaging, ""))
            wanted[product] = (
                *_merged(before, held, quantity, packaging),
                _note(rest[0]) if rest else note,
            )
            results.append(RowResult(row, sku, quantity, "added"))
    with transaction.atomic():
        locked = RequisitionList.objects.select_for_update().get(pk=requisition_list.pk)
        existing = {
            line.product_id: line
            for line in ListLine.objects.filter(requisition_list=locked).select_related("packaging")
        }
        if len(set(existing) | {product.pk for product in wanted}) > MAX_IMPORT_LINES:
            raise BusinessRuleError(
                "too_many_lines",
                _("A list holds at most %(max)s lines.") % {"max": MAX_IMPORT_LINES},
            )
        position = max((line.position for line in existing.values()), default=0)
        changed, created = [], []
        for product, (quantity, packaging, note) in wanted.items():
            line = existing.get(product.pk)
            if line is not None:
                line.quantity, line.packaging = _merged(
                    line.quantity, line.packaging, quantity, packaging
                )
                line.note = note or line.note
                changed.append(line)
            else:
                position += 1
                created.append(
                    ListLine(
                        requisition_list=locked,
                        product=product,
                        quantity=quantity,
                        packaging=packaging,
                        note=note,
                        position=position,
                    )
                )
        ListLine.objects.bulk_update(changed, ["quantity", "packaging", "note"])
        ListLine.objects.bulk_create(created)
        locked.save(update_fields=["updated_at"])
    return results


def _merged(quantity: int, packaging, more: int, more_packaging) -> tuple[int, object]:
    """A line's quantity and packaging once `more` in `more_packaging` is added: in one
    packaging they add up there; in two units they add up in the product's unit, so that a
    list line never counts two units at once."""
    if (packaging.pk if packaging else None) == (more_packaging.pk if more_packaging else None):
        return min(quantity + more, max_quantity(packaging)), packaging
    base = quantity * (packaging.factor if packaging else 1)
    base += more * (more_packaging.factor if more_packaging else 1)
    return min(base, MAX_QUANTITY), None


def _line(requisition_list: RequisitionList, sku: str) -> ListLine:
    line = (
        ListLine.objects.filter(requisition_list=requisition_list, product__sku__iexact=sku)
        .select_related("product")
        .first()
    )
    if line is None:
        raise BusinessRuleError("not_found", _("This list has no line %(sku)s.") % {"sku": sku})
    return line


def list_set_line(
    *, viewer: Viewer, requisition_list: RequisitionList, sku: str, quantity, note=None
) -> None:
    """Change a line's quantity (0 removes it) or note; the quantity counts the line's unit."""
    require_list_keeper(viewer)
    _require_lines(viewer, requisition_list)
    parsed = parse_quantity(quantity)
    if parsed is None:
        raise BusinessRuleError(
            "invalid_quantity",
            _("%(quantity)s is not a quantity (a whole number from 0 to 1,000,000).")
            % {"quantity": quantity},
        )
    line = _line(requisition_list, sku)
    if parsed == 0:
        line.delete()
    else:
        line.quantity = min(parsed, max_quantity(line.packaging))
        if note is not None:
            line.note = _note(note)
        line.save(update_fields=["quantity", "note"])
    requisition_list.save(update_fields=["updated_at"])


def list_remove_lines(*, viewer: Viewer, requisition_list: RequisitionList, skus: list[str]) -> int:
    require_list_keeper(viewer)
    _require_lines(viewer, requisition_list)
    keys = {sku_key(str(sku)) for sku in skus}
    lines = [line for line in list_lines(requisition_list) if sku_key(line.product.sku) in keys]
    ListLine.objects.filter(pk__in=[line.pk for line in lines]).delete()
    requisition_list.save(update_fields=["updated_at"])
    return len(lines)


def list_copy_lines(
    *,
    viewer: Viewer,
    source: RequisitionList,
    target: RequisitionList,
    skus: list[str],
    move: bool = False,
) -> list[RowResult]:
    """Copy (or move) the chosen lines to another list the caller may change; quantities add
    up there, notes go along."""
    if source.pk == target.pk:
        raise BusinessRuleError("same_list", _("Choose another list to copy or move lines to."))
    keys = {sku_key(str(sku)) for sku in skus}
    chosen = [line for line in list_lines(source) if sku_key(line.product.sku) in keys]
    with transaction.atomic():
        results = list_add_lines(
            viewer=viewer,
            requisition_list=target,
            rows=[
                (n, line.product.sku, _typed(line.quantity, line.packaging), line.note)
                for n, line in enumerate(chosen, start=1)
            ],
        )
        if move:
            list_remove_lines(
                viewer=viewer,
                requisition_list=source,
                skus=[r.sku for r in results if r.status == "added"],
            )
    return results


def list_from_cart(
    *, viewer: Viewer, name, sharing=rules.PRIVATE, location=None
) -> RequisitionList:
    """Save the cart as a new list (the cart stays as it is), each line in its unit."""
    items, packagings = cart_contents(viewer.user)
    if not items:
        raise BusinessRuleError("cart_empty", _("The cart is empty."))
    with transaction.atomic():
        created = list_create(viewer=viewer, name=name, sharing=sharing, location=location)
        list_add_lines(
            viewer=viewer,
            requisition_list=created,
            rows=[
                (n, product.sku, _typed(quantity, packagings.get(product.pk)))
                for n, (product, quantity) in enumerate(items, 1)
            ],
        )
    return created


def _typed(quantity: int, packaging) -> object:
    """A line's quantity as a row gives it: "3 case" in a packaging, else the number."""
    return f"{quantity} {packaging.unit}" if packaging else quantity


def list_add_order(*, viewer: Viewer, requisition_list: RequisitionList, order) -> list[RowResult]:
    """An order's lines added to a list (products no longer visible are reported, not added)."""
    return list_add_lines(
        viewer=viewer,
        requisition_list=requisition_list,
        rows=[
            (line.position, line.sku, line.base_quantity or line.quantity)
            for line in order.lines.all()
        ],
    )


def list_to_cart(
    *, viewer: Viewer, requisition_list: RequisitionList, skus: list[str] | None = None
) -> list[RowResult]:
    """All lines, or the chosen ones, into the cart by the quick-order path, each in its
    packaging (the cart then
    reports every rule they break). A product the caller may no longer see is reported as
    unavailable and left out; its SKU is the list's own, nothing more is told of it."""
    require_list_keeper(viewer)
    lines = list_lines(requisition_list)
    if skus is not None:
        keys = {sku_key(str(sku)) for sku in skus}
        lines = [line for line in lines if sku_key(line.product.sku) in keys]
    if not lines:
        raise BusinessRuleError("nothing_chosen", _("Choose at least one line of the list."))
    visible = visible_product_ids(viewer, [line.product_id for line in lines])
    rows, unavailable = [], []
    for n, line in enumerate(lines, start=1):
        if line.product_id in visible:
            unit = (line.packaging.unit,) if line.packaging else ()
            rows.append((n, line.product.sku, line.quantity, *unit))
        else:
            unavailable.append(
                RowResult(
                    n,
                    line.product.sku,
                    None,
                    "error",
                    "unavailable",
                    _("%(sku)s is no longer available.") % {"sku": line.product.sku},
                )
            )
    added = cart_add_lines(viewer=viewer, rows=rows) if rows else []
    return sorted([*added, *unavailable], key=lambda result: result.row)
