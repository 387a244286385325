"""The store's logo (issue 20, "Look"): one upload, checked like a product picture
(catalog/images.py), kept as a single WebP rendition no larger than the header shows it at
twice its size, so that a 4,000 px logo never reaches a phone. The back office and the
bundle call `store_logo_set`."""

import hashlib
import io
import uuid

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from comptoir.catalog.images import ACCEPTED_FORMATS, image_problem
from comptoir.core.models import Store

# The header shows the logo at most 3 rem (48 px) high and 15 rem wide: twice that.
LOGO_BOX = (480, 96)


def store_logo_set(store: Store, data: bytes) -> None:
    """Writes the rendition of `data` and points `store` (not saved) at it; `ImageProblem`
    when the bytes are not a picture we accept."""
    if problem := image_problem(data):
        raise problem
    with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as picture:
        upright = ImageOps.exif_transpose(picture)
        alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        upright = upright.convert("RGBA" if alpha else "RGB")
        upright.thumbnail(LOGO_BOX, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        upright.save(out, format="WEBP", quality=90, method=4)
    store.logo.save(f"logos/{uuid.uuid4().hex}.webp", ContentFile(out.getvalue()), save=False)
    store.logo_width, store.logo_height = upright.width, upright.height
    store.logo_sha256 = hashlib.sha256(data).hexdigest()


def store_logo_clear(store: Store) -> None:
    """No logo: the header shows the store's name. The old file stays (its name is never
    reused, and cached pages may still link it for a while)."""
    store.logo = ""
    store.logo_width = store.logo_height = 0
    store.logo_sha256 = ""
