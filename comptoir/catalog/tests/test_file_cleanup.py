"""Files of deleted or replaced pictures and documents leave the disk once the change commits
(catalog/file_cleanup.py), and stay when it is rolled back."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from comptoir.bundle.loader import load_store
from comptoir.bundle.tests.sample import sample_bundle
from comptoir.catalog.forms import ProductImageForm
from comptoir.catalog.models import Product, ProductDocument, ProductImage, product_media
from comptoir.catalog.services import document_file_set, product_image_add
from tests.factories import ProductFactory

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def picture(colour=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def screws(store):
    return ProductFactory(sku="CLEAN-1", name="Wood screws", stock=100)


def add_document(product) -> ProductDocument:
    document = ProductDocument(product=product, title="Data sheet")
    document_file_set(document, PDF)
    document.save()
    return document


def names(*rows) -> list[str]:
    found = []
    for row in rows:
        if isinstance(row, ProductImage):
            found += [row.thumbnail.name, row.large.name]
        else:
            found.append(row.file.name)
    return found


def on_disk(files: list[str]) -> list[bool]:
    return [product_media.exists(name) for name in files]


def test_a_deleted_picture_loses_its_files_once_the_delete_commits(
    screws, django_capture_on_commit_callbacks
):
    image = product_image_add(product=screws, data=picture(), alt="Front")
    files = names(image)
    assert on_disk(files) == [True, True]
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
        assert on_disk(files) == [True, True]
    assert on_disk(files) == [False, False]


def test_a_rolled_back_delete_keeps_the_files(screws, django_capture_on_commit_callbacks):
    image = product_image_add(product=screws, data=picture(), alt="Front")
    document = add_document(screws)
    files = names(image, document)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ProductImage.objects.filter(pk=image.pk).delete()
        document.delete()
        raise RuntimeError("changed our mind")
    assert callbacks == []
    assert on_disk(files) == [True, True, True]
    assert ProductImage.objects.filter(pk=image.pk).exists()


def test_a_deleted_product_loses_its_pictures_and_documents_files(
    screws, django_capture_on_commit_callbacks
):
    image = product_image_add(product=screws, data=picture(), alt="Front")
    document = add_document(screws)
    other = product_image_add(
        product=ProductFactory(sku="CLEAN-2"), data=picture((0, 0, 0)), alt="Other"
    )
    files = names(image, document)
    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.filter(sku="CLEAN-1").delete()
    assert on_disk(files) == [False, False, False]
    assert on_disk(names(other)) == [True, True]


def test_a_picture_replaced_in_the_back_office_loses_its_old_files(
    screws, django_capture_on_commit_callbacks
):
    image = product_image_add(product=screws, data=picture(), alt="Front")
    old = names(image)
    form = ProductImageForm(
        data={"alt": "Front, new", "position": 0},
        files={"picture": SimpleUploadedFile("new.png", picture((0, 120, 0)), "image/png")},
        instance=image,
    )
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        saved = form.save()
    assert on_disk(old) == [False, False]
    assert on_disk(names(saved)) == [True, True]


def test_a_bundle_replacing_pictures_and_documents_removes_the_old_files(
    store, tmp_path, django_capture_on_commit_callbacks
):
    bundle = sample_bundle()
    screws = next(p for p in bundle["products"] if p["sku"] == "SCR-200")
    (tmp_path / "front.png").write_bytes(picture())
    (tmp_path / "back.png").write_bytes(picture((0, 0, 200)))
    (tmp_path / "sheet.pdf").write_bytes(PDF)
    (tmp_path / "sheet-2.pdf").write_bytes(PDF + b"% second edition\n")
    path = tmp_path / "store.json"

    def load(image, document):
        screws["images"] = [{"path": image, "alt": "Box"}]
        screws["documents"] = [{"path": document, "title": "Data sheet"}]
        path.write_text(json.dumps(bundle))
        with django_capture_on_commit_callbacks(execute=True):
            load_store(path)
        return names(*ProductImage.objects.all(), *ProductDocument.objects.all())

    first = load("front.png", "sheet.pdf")
    assert on_disk(first) == [True, True, True]
    assert load("front.png", "sheet.pdf") == first
    second = load("back.png", "sheet-2.pdf")
    assert on_disk(first) == [False, False, False]
    assert on_disk(second) == [True, True, True]
