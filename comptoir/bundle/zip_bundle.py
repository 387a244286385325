"""A bundle in one zip (docs/bundle.md, "Zip archives"): its JSON at the root, the pictures
and documents it names by their path inside the archive.

An archive comes from outside, so it is checked whole before anything in it is read, and
nothing in it is ever unpacked to disk: the JSON is streamed out of it, each picture or
document read into memory (at most its size limit plus one byte) and handed to the
catalogue's own storage. Refused, naming the entry: paths leaving the archive, symbolic links,
encrypted entries, names given twice, compression other than stored or deflated (bzip2 and
LZMA decompress without a bound on what one read produces), more than
`BUNDLE_ZIP_MAX_ENTRIES` entries, more than `BUNDLE_ZIP_MAX_BYTES` declared once unpacked. A
declared size may lie: a read never asks for more than the declared size (nor than the
file's limit), and zipfile refuses an entry whose content does not end there (its CRC).
"""

import io
import stat
import zipfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings

from comptoir.bundle.errors import BundleError
from comptoir.bundle.folder_bundle import FileProblem, relative_problem

BUNDLE_NAME = "store.json"
METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def is_zip(path: Path) -> bool:
    """A zip by its name, or by its first bytes whatever its name."""
    if path.suffix.lower() == ".zip":
        return True
    with path.open("rb") as handle:
        return handle.read(2) == b"PK"


class ZipBundle:
    """A checked archive: `open_json` streams its bundle, `read` gives a file it holds."""

    def __init__(self, archive: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo], name: str):
        self.archive = archive
        self.entries = entries
        self.json_name = name

    @classmethod
    @contextmanager
    def open(cls, path: Path):
        try:
            archive = zipfile.ZipFile(path)
        except OSError as exc:
            raise BundleError([f"(file): cannot be read: {exc.strerror}"]) from None
        except zipfile.BadZipFile as exc:
            raise BundleError([f"(zip): not a zip archive: {exc}"]) from None
        with archive:
            entries = _checked_entries(archive.infolist())
            yield cls(archive, entries, _bundle_name(entries))

    def open_json(self) -> BinaryIO:
        return self.archive.open(self.entries[self.json_name])

    def read(self, relative: str, limit: int) -> bytes:
        """The entry's bytes, at most `limit` + 1 of them: more says it is too large."""
        if problem := relative_problem(relative):
            raise FileProblem(problem)
        info = self.entries.get(PurePosixPath(relative).as_posix())
        if info is None or info.is_dir():
            raise FileProblem(f"no file {relative!r} in the zip")
        try:
            with self.archive.open(info) as handle:
                return handle.read(min(info.file_size, limit + 1))
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise FileProblem(f"is damaged in the zip: {exc}") from None


def _checked_entries(infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    """The archive's entries by name, or `BundleError` naming every entry refused."""
    most = settings.BUNDLE_ZIP_MAX_ENTRIES
    if len(infos) > most:
        raise BundleError([f"(zip): {len(infos)} entries, more than the {most} allowed"])
    errors = []
    for name, count in Counter(_key(info) for info in infos).items():
        if count > 1:
            errors.append(f"(zip) {name}: appears {count} times")
    for info in infos:
        name = info.filename
        if _leaves_archive(name):
            errors.append(f"(zip) {name}: a path leaving the archive (absolute or with '..')")
        elif stat.S_ISLNK(info.external_attr >> 16):
            errors.append(f"(zip) {name}: a symbolic link")
        elif info.flag_bits & 0x1:
            errors.append(f"(zip) {name}: encrypted")
        elif info.compress_type not in METHODS:
            errors.append(f"(zip) {name}: compressed otherwise than stored or deflated")
    total = sum(info.file_size for info in infos)
    if total > settings.BUNDLE_ZIP_MAX_BYTES:
        errors.append(
            f"(zip): {total} bytes once unpacked, more than the "
            f"{settings.BUNDLE_ZIP_MAX_BYTES} allowed"
        )
    if errors:
        raise BundleError(errors)
    return {_key(info): info for info in infos}


def _key(info: zipfile.ZipInfo) -> str:
    """The name a bundle's `path` finds the entry by: `./a//b.png` is `a/b.png`."""
    return PurePosixPath(info.filename).as_posix() + ("/" if info.is_dir() else "")


def _leaves_archive(name: str) -> bool:
    pure = PurePosixPath(name)
    return (
        pure.is_absolute()
        or "\\" in name
        or ".." in pure.parts
        or ":" in name
        or "\0" in name
        or not name.strip("/")
    )


def _bundle_name(entries: dict[str, zipfile.ZipInfo]) -> str:
    """`store.json` at the root, else the root's only `.json` file."""
    if BUNDLE_NAME in entries:
        return BUNDLE_NAME
    found = sorted(name for name in entries if "/" not in name and name.lower().endswith(".json"))
    if len(found) == 1:
        return found[0]
    if not found:
        raise BundleError([f"(zip): no bundle: put it at the root of the zip as {BUNDLE_NAME}"])
    raise BundleError(
        [
            f"(zip): {len(found)} JSON files at the root ({', '.join(found)}): name the bundle "
            f"{BUNDLE_NAME}"
        ]
    )


def write_zip(target: Path, dump) -> None:
    """Writes a bundle and its files into one zip at `target`: `dump(out, save)` writes the
    JSON to `out` and calls `save(name, stored_file)` for each file it lists, added once the
    JSON is written (an archive takes one entry at a time)."""
    files: list[tuple[str, object]] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with (
            archive.open(BUNDLE_NAME, "w", force_zip64=True) as raw,
            io.TextIOWrapper(raw, encoding="utf-8") as out,
        ):
            dump(out, lambda name, stored: files.append((name, stored)))
        for name, stored in files:
            with stored.open("rb") as source, archive.open(name, "w", force_zip64=True) as entry:
                while chunk := source.read(1024 * 1024):
                    entry.write(chunk)
