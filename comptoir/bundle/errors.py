"""Bundle errors: every message names the path of the bad value, e.g. `products[3].price`."""

from pydantic import ValidationError

MAX_REPORTED = 200


class BundleError(Exception):
    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


def format_path(parts) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


_MESSAGES = {
    "extra_forbidden": "unknown key",
    "missing": "required",
    "string_type": "must be a string",
    "int_type": "must be a whole number",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "dict_type": "must be an object",
    "none_required": "must be null",
}


def _message(error: dict) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "literal_error":
        return f"must be one of {error['ctx']['expected']}"
    if kind == "string_pattern_mismatch":
        return f"{error['input']!r} is not in the expected format"
    return _MESSAGES.get(kind, error["msg"])


class ErrorCollector:
    """Collects `path: message` lines; past MAX_REPORTED it only counts them."""

    def __init__(self):
        self.messages: list[str] = []
        self.count = 0

    def add(self, path, message: str) -> None:
        self.count += 1
        if len(self.messages) < MAX_REPORTED:
            where = path if isinstance(path, str) else format_path(path)
            self.messages.append(f"{where}: {message}")

    def add_validation_error(self, base: tuple, exc: ValidationError) -> None:
        seen = set()
        for error in exc.errors(include_url=False):
            loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
            key = (loc, error["type"])
            if loc in seen or key in seen:
                continue
            seen.add(loc)
            self.add((*base, *loc), _message(error))

    def raise_if_any(self) -> None:
        if self.count:
            messages = list(self.messages)
            if self.count > len(messages):
                messages.append(f"... and {self.count - len(messages)} more errors")
            raise BundleError(messages)


def _is_union_tag(part) -> bool:
    """Pydantic names the union member it tried (`list[...]`, `constrained-str`): not a path."""
    return isinstance(part, str) and ("[" in part or part.endswith("-str") or part == "str")
