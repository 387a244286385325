"""Product families (issue 20, ordering views): one article sold in sizes × colours, each cell
an ordinary product with its own SKU, price, rules, stock and visibility. Pure.

A family has one or two axes, each a name and its values in the order the grid shows them
(Size: 7, 8, 9, 10; Colour: Black, Blue). A variant names its value on each axis; the admin
(`FamilyVariant.clean()`) and the bundle loader both judge it here, so both refuse alike.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_AXIS_VALUES = 30
MAX_VALUE_LENGTH = 50


def axis_values(text: str) -> list[str]:
    """An axis's values, one per line, in order; blank lines and repeats left out."""
    found: list[str] = []
    for line in (text or "").splitlines():
        value = " ".join(line.split())
        if value and value.casefold() not in {seen.casefold() for seen in found}:
            found.append(value)
    return found


def label_lines(text: str) -> list[str]:
    """Translated values, one per line in the axis's order; blank lines left out."""
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def value_labels(values: list[str], translated: str) -> list[str]:
    """The label of each of an axis's values: the translated line at its place, else the value
    itself (no translation, or one written for values since added or removed)."""
    labels = label_lines(translated)
    return labels if len(labels) == len(values) else list(values)


def label_problems(
    translations: dict, rows: list[str] | None, columns: list[str] | None
) -> list[tuple[str, str, str]]:
    """What is wrong with a family's translated axis values, as (language, field, message):
    each axis's translation names its values one for one, in order, each label short and
    given once (an axis whose values are unknown, being refused themselves, is left out).
    The values stay the variants' keys; the labels are only shown."""
    problems = []
    for language, fields in translations.items():
        for field, values in (("row_values", rows), ("column_values", columns)):
            labels = label_lines(fields.get(field, ""))
            if values is None or not labels:
                continue
            if message := _labels_problem(labels, values, language):
                problems.append((language, field, message))
    return problems


def _labels_problem(labels: list[str], values: list[str], language: str) -> str | None:
    params = {"language": language, "count": len(values), "max": MAX_VALUE_LENGTH}
    if not values:
        return _("The axis has no values: leave its %(language)s values empty.") % params
    if len(labels) != len(values):
        return (
            ngettext(
                "The %(language)s translation must give %(count)s value, one per value of "
                "the axis, in order.",
                "The %(language)s translation must give %(count)s values, one per value of "
                "the axis, in order.",
                len(values),
            )
            % params
        )
    if any(len(label) > MAX_VALUE_LENGTH for label in labels):
        return _("A %(language)s value has at most %(max)s characters.") % params
    folded = [label.casefold() for label in labels]
    twice = next((label for n, label in enumerate(labels) if folded[n] in folded[:n]), None)
    if twice is not None:
        return _("The %(language)s values give %(label)s twice.") % {**params, "label": twice}
    return None


def axis_problems(row_values: list[str], column_axis: str, column_values: list[str]) -> dict:
    """What is wrong with a family's axes, by field: each axis holds 1 to 30 short values, and a
    second axis has a name exactly when it has values."""
    problems: dict[str, str] = {}
    for field, values, required in (
        ("row_values", row_values, True),
        ("column_values", column_values, bool(column_axis)),
    ):
        if required and not values:
            problems[field] = _("Give at least one value, one per line.")
        elif len(values) > MAX_AXIS_VALUES:
            problems[field] = _("At most %(max)s values.") % {"max": MAX_AXIS_VALUES}
        elif any(len(value) > MAX_VALUE_LENGTH for value in values):
            problems[field] = _("A value has at most %(max)s characters.") % {
                "max": MAX_VALUE_LENGTH
            }
    if column_values and not column_axis:
        problems["column_axis"] = _("Name the second axis, or leave its values empty.")
    return problems


def cell_value(values: list[str], given: str) -> str | None:
    """The family's spelling of `given` among `values` (case ignored), else None."""
    wanted = " ".join((given or "").split()).casefold()
    return next((value for value in values if value.casefold() == wanted), None)


def cell_problems(
    row_values: list[str], column_values: list[str], row: str, column: str
) -> dict[str, str]:
    """Why (row, column) is not a cell of the family, by field; empty when it is one."""
    problems: dict[str, str] = {}
    if cell_value(row_values, row) is None:
        problems["row_value"] = _("%(value)s is not one of %(values)s.") % {
            "value": row or "—",
            "values": ", ".join(row_values),
        }
    if column_values and cell_value(column_values, column) is None:
        problems["column_value"] = _("%(value)s is not one of %(values)s.") % {
            "value": column or "—",
            "values": ", ".join(column_values),
        }
    elif not column_values and column:
        problems["column_value"] = _("The family has a single axis: leave this empty.")
    return problems


def off_grid(
    row_values: list[str], column_values: list[str], cells: list[tuple[str, str, str]]
) -> list[str]:
    """The cells (label, row value, column value) that are no cell of the family's axes as
    `cell_problems` judges them, written "label (row × column)": they would leave its grid."""
    return [
        f"{label} ({' × '.join(value for value in (row, column) if value)})"
        for label, row, column in cells
        if cell_problems(row_values, column_values, row, column)
    ]


def off_grid_message(variants: list[str]) -> str:
    return _(
        "These variants use values that are no longer among the axes and would leave the grid: "
        "%(variants)s. Move them to remaining values in the variants below, or keep the values "
        "they use."
    ) % {"variants": ", ".join(variants)}


@dataclass(frozen=True)
class Grid:
    """The family's rows × columns, each cell the item at (row, column) or None (missing or
    hidden from the viewer). A family with one axis has a single, unnamed column "". The
    labels are the values as the reader reads them (catalog/families.py, `value_labels`)."""

    rows: list[str]
    columns: list[str]
    cells: list[list[object | None]]
    row_labels: list[str]
    column_labels: list[str]

    @property
    def lines(self) -> list[tuple[str, list[object | None]]]:
        """(row label, its cells) for each row."""
        return list(zip(self.row_labels, self.cells, strict=True))


def grid(
    row_values: list[str],
    column_values: list[str],
    items: dict[tuple[str, str], object],
    labels: tuple[list[str], list[str]] | None = None,
) -> Grid:
    """The grid of `items` keyed by (row value, column value); rows and columns left wholly
    empty are dropped, so a viewer sees no size that he cannot buy in any colour. `labels`:
    those of the row values and of the column values, in their order (the values by default)."""
    row_labels, column_labels = labels or (row_values, column_values)
    row_label = dict(zip(row_values, row_labels, strict=True))
    column_label = dict(zip(column_values, column_labels, strict=True)) | {"": ""}
    columns = column_values or [""]
    rows = [row for row in row_values if any((row, column) in items for column in columns)]
    columns = [column for column in columns if any((row, column) in items for row in rows)]
    return Grid(
        rows,
        columns,
        [[items.get((row, column)) for column in columns] for row in rows],
        [row_label[row] for row in rows],
        [column_label[column] for column in columns],
    )
