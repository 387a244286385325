"""Where a bundle comes from (docs/bundle.md, "Zip archives"): a JSON file with its pictures
and documents in the folder beside it, or a zip holding both. Every way of loading a bundle
goes through `open_bundle`, so both forms are read, and checked, the same way everywhere.
"""

from contextlib import contextmanager
from pathlib import Path

from comptoir.bundle.errors import BundleError
from comptoir.bundle.folder_bundle import FolderBundle
from comptoir.bundle.zip_bundle import ZipBundle, is_zip


@contextmanager
def open_bundle(path: Path | str):
    """The bundle at `path`: a zip (by its name or its first bytes) or a JSON file. A zip is
    checked whole before anything in it is read (zip_bundle.py); `BundleError` if refused."""
    path = Path(path)
    try:
        zipped = is_zip(path)
    except OSError as exc:
        raise BundleError([f"(file): cannot be read: {exc.strerror}"]) from None
    if not zipped:
        yield FolderBundle(path)
        return
    with ZipBundle.open(path) as bundle:
        yield bundle
