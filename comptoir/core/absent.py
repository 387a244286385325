"""A JSON `null` for an optional field means the key was left out (API.md §2.1).

One rule for the store bundle and every API body: a writer that sends `"vat_number": null`
or `"po_number": null` gets the field's default, exactly as if it had not sent the key. A
required field keeps its null, so that it is refused with the field's own message.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

NULL = {"type": "null"}
# Keywords that describe the property rather than its type: they stay outside `anyOf`.
_ANNOTATIONS = ("title", "description", "default", "examples")


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


def _document_nulls(schema: dict, model: type[BaseModel]) -> None:
    """The JSON schema says so too: each optional property also takes `null`."""
    for name, field in model.model_fields.items():
        prop = schema.get("properties", {}).get(name)
        if prop is None or field.is_required():
            continue
        if "anyOf" in prop:
            if NULL not in prop["anyOf"]:
                prop["anyOf"].append(NULL)
            continue
        kind = {key: value for key, value in prop.items() if key not in _ANNOTATIONS}
        outer = {key: value for key, value in prop.items() if key in _ANNOTATIONS}
        prop.clear()
        prop.update(anyOf=[kind, NULL], **outer)


class NullIsAbsent(BaseModel):
    """Mixin of the input models: their optional fields read `null` as absent."""

    model_config = ConfigDict(json_schema_extra=_document_nulls)

    @model_validator(mode="before")
    @classmethod
    def _null_is_absent(cls, data: Any) -> Any:
        return drop_optional_nulls(cls, data)
