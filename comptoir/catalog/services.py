"""Writes to the catalogue's content (issue 20): the back office and the bundle call these."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from comptoir.catalog.file_cleanup import delete_on_commit
from comptoir.catalog.images import document_problem, image_problem, renditions, stored_name
from comptoir.catalog.models import Product, ProductDocument, ProductImage


def product_image_add(
    *, product: Product, data: bytes, alt: str, position: int = 0
) -> ProductImage:
    """A new picture of `product` from an upload's bytes; `ImageProblem` if they are refused.

    The renditions are written before the row: a failed save leaves unused files (harmless,
    under names nobody links), never a row without its files."""
    image = ProductImage(product=product, alt=alt.strip(), position=position)
    image_files_set(image, data)
    with transaction.atomic():
        image.save()
    return image


def image_files_set(image: ProductImage, data: bytes) -> None:
    """Writes the renditions of `data` and points `image` (not saved) at them. Renditions it
    had go when the transaction saving it commits (callers replacing them save in one)."""
    if problem := image_problem(data):
        raise problem
    made = renditions(data)
    delete_on_commit(image.thumbnail, image.large)
    image.source_sha256 = hashlib.sha256(data).hexdigest()
    image.thumbnail.save(stored_name("-400.webp"), made.thumbnail.content, save=False)
    image.thumbnail_width, image.thumbnail_height = made.thumbnail.width, made.thumbnail.height
    image.large.save(stored_name("-1200.webp"), made.large.content, save=False)
    image.large_width, image.large_height = made.large.width, made.large.height


def document_file_set(document: ProductDocument, data: bytes) -> None:
    """Writes a checked PDF under a generated name and points `document` (not saved) at it;
    a file it had goes as an image's renditions do."""
    if problem := document_problem(data):
        raise problem
    delete_on_commit(document.file)
    document.file.save(stored_name(".pdf"), ContentFile(data), save=False)
    document.size = len(data)
    document.source_sha256 = hashlib.sha256(data).hexdigest()
