"""Product pictures and documents in a bundle (docs/bundle.md, "Pictures"): files beside
the bundle file or inside its zip (sources.py), named by a relative path, checked in the
first pass and turned into renditions in the second.
"""

from comptoir.bundle.folder_bundle import FileProblem
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


def image_data(files, relative: str) -> tuple[bytes | None, str | None]:
    """The checked bytes of a picture named by a bundle, or why they are refused."""
    try:
        data = files.read(relative, MAX_IMAGE_BYTES)
    except FileProblem as exc:
        return None, str(exc)
    if len(data) > MAX_IMAGE_BYTES:
        return None, MESSAGES["too_large"]
    if refused := image_problem(data):
        return None, MESSAGES[refused.code]
    return data, None


def document_data(files, relative: str) -> tuple[bytes | None, str | None]:
    """The checked bytes of a PDF named by a bundle, or why they are refused."""
    try:
        data = files.read(relative, MAX_DOCUMENT_BYTES)
    except FileProblem as exc:
        return None, str(exc)
    if len(data) > MAX_DOCUMENT_BYTES:
        return None, "is larger than 20 MB"
    if refused := document_problem(data):
        return None, MESSAGES[refused.code]
    return data, None
