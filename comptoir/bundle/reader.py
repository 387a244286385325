"""Streams a bundle file section by section, so a catalogue of any size reads in bounded memory."""

from collections.abc import Iterator
from pathlib import Path

import ijson

from comptoir.bundle.errors import BundleError
from comptoir.bundle.schema import TOP_LEVEL_KEYS


class BundleReader:
    def __init__(self, path: Path | str):
        self.path = Path(path)

    def check_top_level(self) -> set[str]:
        """The top-level keys present; refuses anything that is not a known section."""
        keys: list[str] = []
        try:
            with self.path.open("rb") as handle:
                for prefix, event, value in ijson.parse(handle):
                    if prefix == "" and event == "start_map":
                        continue
                    if prefix == "" and event == "map_key":
                        keys.append(value)
                    elif prefix == "" and event != "end_map":
                        raise BundleError(["(top level): must be a JSON object"])
        except ijson.JSONError as exc:
            raise BundleError([f"(file): not valid JSON: {exc}"]) from None
        except OSError as exc:
            raise BundleError([f"(file): cannot be read: {exc.strerror}"]) from None
        if not keys:
            raise BundleError(["(top level): must be a JSON object"])
        errors = [f"{key}: unknown key" for key in keys if key not in TOP_LEVEL_KEYS]
        errors += [
            f"{key}: appears twice" for key in sorted({k for k in keys if keys.count(k) > 1})
        ]
        if errors:
            raise BundleError(errors)
        return set(keys)

    def store(self):
        with self.path.open("rb") as handle:
            return next(ijson.items(handle, "store"), None)

    def items(self, section: str) -> Iterator:
        """Yields the raw items of a section; a section that is not a list yields one error."""
        with self.path.open("rb") as handle:
            for prefix, event, _value in ijson.parse(handle):
                if prefix == section:
                    if event != "start_array":
                        raise BundleError([f"{section}: must be a list"])
                    break
        with self.path.open("rb") as handle:
            yield from ijson.items(handle, f"{section}.item")
