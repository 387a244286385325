"""Streams a bundle file section by section, so a catalogue of any size reads in bounded memory."""

import zipfile
from collections.abc import Iterator

import ijson

from comptoir.bundle.errors import BundleError
from comptoir.bundle.schema import TOP_LEVEL_KEYS


class BundleReader:
    def __init__(self, source):
        """`source` opens the JSON and reads the files it names (sources.py)."""
        self.source = source
        self.kinds: dict[str, str] = {}

    def check_top_level(self) -> set[str]:
        """The top-level keys present; refuses anything that is not a known section.

        It also notes what each key holds, so that reading a section needs no search.
        """
        keys: list[str] = []
        pending = None
        try:
            with self.source.open_json() as handle:
                for prefix, event, value in ijson.parse(handle):
                    if pending is not None:
                        self.kinds[pending], pending = event, None
                    elif prefix == "" and event == "map_key":
                        keys.append(value)
                        pending = value
                    elif prefix == "" and event not in ("start_map", "end_map"):
                        raise BundleError(["(top level): must be a JSON object"])
        except ijson.JSONError as exc:
            raise BundleError([f"(file): not valid JSON: {exc}"]) from None
        except OSError as exc:
            raise BundleError([f"(file): cannot be read: {exc.strerror}"]) from None
        except zipfile.BadZipFile as exc:
            raise BundleError([f"(zip) {self.source.json_name}: is damaged: {exc}"]) from None
        if not keys:
            raise BundleError(["(top level): must be a JSON object"])
        errors = [f"{key}: unknown key" for key in keys if key not in TOP_LEVEL_KEYS]
        errors += [
            f"{key}: appears twice" for key in sorted({k for k in keys if keys.count(k) > 1})
        ]
        errors += [
            f"{key}: must be {'an object' if key == 'store' else 'a list'}"
            for key in keys
            if key in TOP_LEVEL_KEYS
            and self.kinds.get(key) != ("start_map" if key == "store" else "start_array")
        ]
        if errors:
            raise BundleError(errors)
        return set(keys)

    def store(self):
        with self.source.open_json() as handle:
            return next(ijson.items(handle, "store"), None)

    def items(self, section: str) -> Iterator:
        """Yields the raw items of a section (checked to be a list by `check_top_level`)."""
        with self.source.open_json() as handle:
            yield from ijson.items(handle, f"{section}.item")
