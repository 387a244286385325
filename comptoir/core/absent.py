"""A JSON `null` for an optional field means the key was left out (API.md §2.1).

One rule for the store bundle and every API body: a writer that sends `"vat_number": null`
or `"po_number": null` gets the field's default, exactly as if it had not sent the key. A
required field keeps its null, so that it is refused with the field's own message.
"""

from typing import Any

from pydantic import BaseModel, model_validator


def drop_optional_nulls(model: type[BaseModel], data: Any) -> Any:
    """`data` without the null values of `model`'s fields that have a default."""
    if not isinstance(data, dict):
        return data
    fields = model.model_fields
    return {
        key: value
        for key, value in data.items()
        if value is not None or key not in fields or fields[key].is_required()
    }


class NullIsAbsent(BaseModel):
    """Mixin of the input models: their optional fields read `null` as absent."""

    @model_validator(mode="before")
    @classmethod
    def _null_is_absent(cls, data: Any) -> Any:
        return drop_optional_nulls(cls, data)
