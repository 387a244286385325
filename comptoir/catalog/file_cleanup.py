"""Removes the files of product pictures and documents that no row uses any more.

Their names are generated and never reused (catalog/images.py), so a file left behind by a
deleted or replaced row would only fill the disk. It goes once the deletion commits, never
before: a rolled-back delete (a refused bundle, a failed form) keeps rows and files together.
Deletes of querysets and cascades from a deleted product send `post_delete` row by row too.
"""

from functools import partial

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete

from comptoir.catalog.models import ProductDocument, ProductImage


def delete_on_commit(*files: FieldFile) -> None:
    """Deletes these stored files once the current transaction commits (at once outside one)."""
    named = [(file.storage, file.name) for file in files if file]
    if named:
        transaction.on_commit(partial(_delete, named), robust=True)


def _delete(named) -> None:
    for storage, name in named:
        storage.delete(name)


def _image_deleted(sender, instance: ProductImage, **kwargs) -> None:
    delete_on_commit(instance.thumbnail, instance.large)


def _document_deleted(sender, instance: ProductDocument, **kwargs) -> None:
    delete_on_commit(instance.file)


def connect() -> None:
    post_delete.connect(_image_deleted, sender=ProductImage, dispatch_uid="catalog_image_files")
    post_delete.connect(
        _document_deleted, sender=ProductDocument, dispatch_uid="catalog_document_files"
    )
