"""Two body or query schemas of one name would share one entry of the OpenAPI document, and
clients (and schemathesis) would be told the wrong shape for one of them."""

from collections import defaultdict

from ninja import Schema

import comptoir.api.main  # noqa: F401  (every router, so every schema, is imported)


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def test_every_api_schema_has_a_name_of_its_own():
    by_name = defaultdict(set)
    for schema in subclasses(Schema):
        if schema.__module__.startswith("comptoir."):
            by_name[schema.__name__].add(f"{schema.__module__}.{schema.__qualname__}")
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}
