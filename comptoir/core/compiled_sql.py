"""Statements that every request runs, compiled by the ORM once per process.

Compiling a queryset to SQL costs the ORM as much CPU as PostgreSQL spends answering a
primary-key lookup (bench/README.md, "Third pass"). For the few statements that every
request runs with nothing but a value changing, the ORM compiles the query once, with
markers where the values go; later calls run that SQL with the values in place and pass the
rows through the ORM's own converters, so they come back as the queryset would give them.
The converters are looked up once too: finding them for the token's 40 columns cost a third
of the statement's CPU (bench/README.md, "Fifth pass"). On PostgreSQL they are also prepared
on the server (`prepared_cursor`): planning the token's statement cost the server more than
running it (bench/README.md, "Sixth pass").
"""

from collections.abc import Callable
from itertools import count

from django.db import connections, router
from django.db.models import Model, QuerySet

_compiled: dict[tuple[str, str], tuple] = {}
_marks = count()


def compiled_rows(
    name: str, model: type[Model], queryset: Callable[..., QuerySet], **values
) -> list[tuple]:
    """The rows of `queryset(**values)`, a `values_list()` queryset of `model` whose values
    are only compared with (`field=value`): compiled on the first call of each process and
    database, then only run. `name` names the statement."""
    key = (name, router.db_for_read(model))
    entry = _compiled.get(key)
    if entry is None:
        marks = {name: f"\x00mark{next(_marks)}:{name}\x00" for name in values}
        query = queryset(**marks).query
        compiler = query.get_compiler(using=key[1])
        sql, params = compiler.as_sql()
        by_mark = {mark: name for name, mark in marks.items()}
        slots = [by_mark.get(param) if isinstance(param, str) else None for param in params]
        if sorted(filter(None, slots)) != sorted(values):
            raise ValueError(f"{name}: each value must appear once as a parameter")
        fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError(f"{name}: composite fields are not supported")
        converters = compiler.get_converters(fields)
        entry = _compiled[key] = (compiler, sql, params, slots, converters)
    compiler, sql, params, slots, converters = entry
    params = [values[slot] if slot else param for slot, param in zip(slots, params, strict=True)]
    with prepared_cursor(connections[key[1]]) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        rows = compiler.apply_converters(rows, converters)
    return [tuple(row) for row in rows]


def prepared_cursor(connection):
    """A cursor whose statements the database prepares once per connection where the backend
    can (comptoir/core/postgresql/base.py), else an ordinary one. For statements that every
    request runs with the same text: each distinct text is prepared and kept."""
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()
