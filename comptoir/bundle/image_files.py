"""Product pictures and documents in a bundle (docs/bundle.md, "Pictures"): files beside
the bundle file,
named by a relative path, checked in the first pass and turned into renditions in the second.
"""

from pathlib import Path, PurePosixPath

from comptoir.catalog.images import (
    MAX_DOCUMENT_BYTES,
    MAX_IMAGE_BYTES,
    document_problem,
    image_problem,
)

# The bundle's messages are in English whatever the language (API.md §1), so the checks'
# codes are spelt out here rather than translated.
MESSAGES = {
    "too_large": "is larger than 10 MB",
    "not_an_image": "is not a JPEG, PNG, WebP or GIF picture",
    "too_many_pixels": "has more than 40 million pixels",
    "not_a_pdf": "is not a PDF document",
}


def image_file(folder: Path, relative: str) -> tuple[Path | None, str | None]:
    """The file a bundle's `path` names inside `folder`, or why it cannot be used."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or "\\" in relative or ".." in pure.parts or ":" in relative:
        return None, "must be a path relative to the bundle's folder, without '..'"
    path = folder / Path(*pure.parts)
    if not path.is_file():
        return None, f"no file {relative!r} beside the bundle"
    return path, None


def image_data(folder: Path, relative: str) -> tuple[bytes | None, str | None]:
    """The checked bytes of a picture named by a bundle, or why they are refused."""
    path, problem = image_file(folder, relative)
    if problem:
        return None, problem
    try:
        if path.stat().st_size > MAX_IMAGE_BYTES:
            return None, MESSAGES["too_large"]
        data = path.read_bytes()
    except OSError as exc:
        return None, f"cannot be read: {exc.strerror}"
    if refused := image_problem(data):
        return None, MESSAGES[refused.code]
    return data, None


def document_data(folder: Path, relative: str) -> tuple[bytes | None, str | None]:
    """The checked bytes of a PDF named by a bundle, or why they are refused."""
    path, problem = image_file(folder, relative)
    if problem:
        return None, problem
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            return None, "is larger than 20 MB"
        data = path.read_bytes()
    except OSError as exc:
        return None, f"cannot be read: {exc.strerror}"
    if refused := document_problem(data):
        return None, MESSAGES[refused.code]
    return data, None
