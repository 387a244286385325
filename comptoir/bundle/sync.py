"""Upserts that write only what differs, so loading the same bundle twice changes nothing."""

from collections.abc import Iterable

from django.utils import timezone

BATCH = 1000


def upsert(model, key_fields: tuple[str, ...], rows: dict[tuple, dict]) -> dict[tuple, int]:
    """Creates or updates `rows` (natural key → field values); returns natural key → id."""
    if not rows:
        return {}
    fields = sorted({name for values in rows.values() for name in values})
    queryset = model.objects.all()
    if len(key_fields) == 1:
        queryset = queryset.filter(**{f"{key_fields[0]}__in": [key[0] for key in rows]})
    existing = {
        tuple(row[name] for name in key_fields): row
        for row in queryset.values("id", *key_fields, *fields)
    }
    to_create, to_update = [], []
    for key, values in rows.items():
        current = existing.get(key)
        if current is None:
            to_create.append(model(**dict(zip(key_fields, key, strict=True)), **values))
        elif any(current[name] != value for name, value in values.items()):
            to_update.append(model(id=current["id"], **values))
    model.objects.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        model.objects.bulk_update(to_update, _stamped(to_update, fields), batch_size=BATCH)
    ids = {key: row["id"] for key, row in existing.items() if key in rows}
    ids.update({tuple(getattr(obj, name) for name in key_fields): obj.id for obj in to_create})
    return ids


def sync_children(
    model,
    parent_field: str,
    parent_ids: Iterable[int],
    key_fields: tuple[str, ...],
    rows: list[dict],
) -> None:
    """Makes the children of these parents exactly `rows` (each holding parent and key fields)."""
    parent_ids = list(parent_ids)
    if not parent_ids:
        return
    identity = (parent_field, *key_fields)
    desired = {tuple(row[name] for name in identity): row for row in rows}
    fields = sorted({name for row in rows for name in row} - set(identity))
    existing = {}
    for start in range(0, len(parent_ids), BATCH):
        chunk = parent_ids[start : start + BATCH]
        for row in model.objects.filter(**{f"{parent_field}__in": chunk}).values(
            "id", *identity, *fields
        ):
            existing[tuple(row[name] for name in identity)] = row
    to_create = [model(**row) for key, row in desired.items() if key not in existing]
    to_update = [
        model(id=existing[key]["id"], **{name: row[name] for name in fields})
        for key, row in desired.items()
        if key in existing and any(existing[key][name] != row[name] for name in fields)
    ]
    stale = [row["id"] for key, row in existing.items() if key not in desired]
    for start in range(0, len(stale), BATCH):
        model.objects.filter(id__in=stale[start : start + BATCH]).delete()
    model.objects.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        model.objects.bulk_update(to_update, _stamped(to_update, fields), batch_size=BATCH)


def _stamped(objects: list, fields: list[str]) -> list[str]:
    """`fields`, with `updated_at` set on `objects` where the model keeps it: bulk_update does
    not apply auto_now, and the integrations' sync reads it (issue 19)."""
    if not objects or not any(f.name == "updated_at" for f in objects[0]._meta.concrete_fields):
        return fields
    now = timezone.now()
    for obj in objects:
        obj.updated_at = now
    return [*fields, "updated_at"]


def sync_m2m(
    model, field_name: str, desired_targets: dict[int, set[int]], *, from_target: bool = False
) -> None:
    """Makes a many-to-many relation exactly `desired_targets` for the owners it names.

    The owners are rows of `model` (the model declaring the field), or with `from_target`
    rows of the other side (a group's price lists, declared on PriceList).
    """
    if not desired_targets:
        return
    m2m = model._meta.get_field(field_name)
    through = m2m.remote_field.through
    source, target = m2m.m2m_column_name(), m2m.m2m_reverse_name()
    owner_col, target_col = (target, source) if from_target else (source, target)
    owners = list(desired_targets)
    existing: dict[tuple[int, int], int] = {}
    for start in range(0, len(owners), BATCH):
        rows = through.objects.filter(**{f"{owner_col}__in": owners[start : start + BATCH]})
        for row_id, owner, other in rows.values_list("id", owner_col, target_col):
            existing[(owner, other)] = row_id
    desired = {(owner, other) for owner, others in desired_targets.items() for other in others}
    stale = [row_id for pair, row_id in existing.items() if pair not in desired]
    for start in range(0, len(stale), BATCH):
        through.objects.filter(id__in=stale[start : start + BATCH]).delete()
    through.objects.bulk_create(
        [
            through(**{owner_col: owner, target_col: other})
            for owner, other in desired - set(existing)
        ],
        batch_size=BATCH,
    )
