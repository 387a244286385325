"""Product pictures and documents (issue 20): what an upload must be, and the sizes the
storefront shows.

An upload is judged by its content, never by its name or the type the browser claims:
Pillow must recognise it as a JPEG, PNG, WebP or GIF within `MAX_IMAGE_BYTES` and
`MAX_IMAGE_PIXELS`. Each accepted picture is written once as two WebP renditions, no wider
nor taller than 400 px (cards, the gallery) and 1,200 px (the enlarged view), so that pages
never send a buyer a camera's 8 MB original.
"""

import io
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
# Past it a small file may still unpack to gigabytes in memory (a "decompression bomb").
MAX_IMAGE_PIXELS = 40_000_000
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
THUMBNAIL_EDGE = 400
LARGE_EDGE = 1200

TOO_LARGE = _("The picture is larger than 10 MB: send a smaller one.")
NOT_AN_IMAGE = _("Send a JPEG, PNG, WebP or GIF picture; this file is none of them.")
TOO_MANY_PIXELS = _("The picture has more than 40 million pixels: send a smaller one.")


class ImageProblem(ValueError):
    """Why an upload (a picture or a document) is refused: `message` is shown to whoever
    sent it."""

    def __init__(self, code: str, message):
        super().__init__(code)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Rendition:
    content: ContentFile
    width: int
    height: int


@dataclass(frozen=True)
class Renditions:
    thumbnail: Rendition
    large: Rendition


def image_problem(data: bytes) -> ImageProblem | None:
    """None when `data` is a picture we accept, else why not."""
    if len(data) > MAX_IMAGE_BYTES:
        return ImageProblem("too_large", TOO_LARGE)
    try:
        # Only these formats' parsers read the bytes; the size is known before decoding.
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as picture:
            if picture.width * picture.height > MAX_IMAGE_PIXELS:
                return ImageProblem("too_many_pixels", TOO_MANY_PIXELS)
            # Decoded whole, so that a truncated or corrupt file is refused here rather than
            # failing later while its renditions are made.
            picture.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return ImageProblem("not_an_image", NOT_AN_IMAGE)
    return None


def renditions(data: bytes) -> Renditions:
    """The 400 px and 1,200 px WebP copies of an accepted picture (`image_problem` is None),
    turned upright by its EXIF orientation, never enlarged."""
    with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as picture:
        upright = ImageOps.exif_transpose(picture)
        upright = upright.convert("RGBA" if _has_alpha(upright) else "RGB")
        return Renditions(
            thumbnail=_rendition(upright, THUMBNAIL_EDGE),
            large=_rendition(upright, LARGE_EDGE),
        )


def _has_alpha(picture: Image.Image) -> bool:
    return picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info


def _rendition(picture: Image.Image, edge: int) -> Rendition:
    copy = picture.copy()
    copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, format="WEBP", quality=82, method=4)
    return Rendition(ContentFile(out.getvalue()), copy.width, copy.height)


def stored_name(suffix: str) -> str:
    """A generated name: the uploader's file name is never used."""
    return f"products/{uuid.uuid4().hex}{suffix}"


# Documents (data sheets, safety sheets, manuals): PDF files, judged by their first bytes.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DOCUMENT_TOO_LARGE = _("The document is larger than 20 MB: send a smaller one.")
NOT_A_PDF = _("Send a PDF document; this file is not one.")


def document_problem(data: bytes) -> ImageProblem | None:
    """None when `data` is a PDF of at most `MAX_DOCUMENT_BYTES`, else why not."""
    if len(data) > MAX_DOCUMENT_BYTES:
        return ImageProblem("too_large", DOCUMENT_TOO_LARGE)
    if not data.startswith(b"%PDF-"):
        return ImageProblem("not_a_pdf", NOT_A_PDF)
    return None
