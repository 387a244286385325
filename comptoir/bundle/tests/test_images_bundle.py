"""Product pictures in the store bundle: `products[].images` naming files beside it."""

import io
import json

import pytest
from django.core.management import call_command
from PIL import Image

from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store
from comptoir.bundle.tests.conftest import database_snapshot
from comptoir.catalog.models import ProductDocument, ProductImage

pytestmark = pytest.mark.django_db


def png(path, width=1600, height=800):
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(out, format="PNG")
    path.write_bytes(out.getvalue())


def with_images(sample, images):
    screws = next(p for p in sample["products"] if p["sku"] == "SCR-200")
    screws["images"] = images
    return sample


def test_pictures_load_in_order_and_a_second_load_changes_nothing(sample, write_bundle, tmp_path):
    png(tmp_path / "pictures" / "front.png")
    png(tmp_path / "pictures" / "side.png", 600, 900)
    images = [
        {"path": "pictures/front.png", "alt": "Box, front"},
        {"path": "pictures/side.png", "alt": "Box, side"},
    ]
    path = write_bundle(with_images(sample, images))
    load_store(path)
    loaded = list(
        ProductImage.objects.filter(product__sku="SCR-200").values_list(
            "alt", "position", "large_width", "large_height", "thumbnail_width"
        )
    )
    assert loaded == [("Box, front", 0, 1200, 600, 400), ("Box, side", 1, 600, 900, 267)]
    before = database_snapshot()
    load_store(path)
    assert database_snapshot() == before


def test_absent_images_keep_the_pictures_and_an_empty_list_removes_them(
    sample, write_bundle, tmp_path
):
    png(tmp_path / "front.png")
    load_store(write_bundle(with_images(sample, [{"path": "front.png", "alt": "Front"}])))
    screws = next(p for p in sample["products"] if p["sku"] == "SCR-200")
    del screws["images"]
    load_store(write_bundle(sample))
    assert ProductImage.objects.count() == 1
    load_store(write_bundle(with_images(sample, [])))
    assert ProductImage.objects.count() == 0


def test_bad_pictures_are_named_by_their_path_and_nothing_is_written(
    sample, write_bundle, tmp_path
):
    (tmp_path / "sheet.png").write_bytes(b"%PDF-1.7 a data sheet")
    (tmp_path / "huge.png").write_bytes(b"\x89PNG" + b"\0" * (10 * 1024 * 1024))
    images = [
        {"path": "missing.png", "alt": "Missing"},
        {"path": "sheet.png", "alt": "Not a picture"},
        {"path": "huge.png", "alt": "Too large"},
        {"path": "../outside.png", "alt": "Outside"},
        {"path": "/etc/passwd", "alt": "Absolute"},
    ]
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(with_images(sample, images)))
    screws = next(i for i, p in enumerate(sample["products"]) if p["sku"] == "SCR-200")
    where = f"products[{screws}].images"
    assert refused.value.messages == [
        f"{where}[0].path: no file 'missing.png' beside the bundle",
        f"{where}[1].path: is not a JPEG, PNG, WebP or GIF picture",
        f"{where}[2].path: is larger than 10 MB",
        f"{where}[3].path: must be a path relative to the bundle's folder, without '..'",
        f"{where}[4].path: must be a path relative to the bundle's folder, without '..'",
    ]
    assert not ProductImage.objects.exists()


def test_a_picture_without_alt_text_is_refused(sample, write_bundle, tmp_path):
    png(tmp_path / "front.png")
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(with_images(sample, [{"path": "front.png", "alt": ""}])))
    screws = next(i for i, p in enumerate(sample["products"]) if p["sku"] == "SCR-200")
    (message,) = refused.value.messages
    assert message.startswith(f"products[{screws}].images[0].alt: ")


def test_a_dump_into_a_folder_copies_the_pictures_and_loads_back(sample, write_bundle, tmp_path):
    png(tmp_path / "front.png")
    load_store(write_bundle(with_images(sample, [{"path": "front.png", "alt": "Front"}])))
    out = tmp_path / "dump" / "store.json"
    out.parent.mkdir()
    call_command("dump_store", output=str(out))
    dumped = json.loads(out.read_text())
    (screws,) = [p for p in dumped["products"] if p["sku"] == "SCR-200"]
    (image,) = screws["images"]
    assert image["alt"] == "Front"
    assert image["path"].startswith("images/") and image["path"].endswith("-1200.webp")
    assert (out.parent / image["path"]).is_file()
    load_store(out)
    (reloaded,) = ProductImage.objects.filter(product__sku="SCR-200")
    assert (reloaded.alt, reloaded.large_width, reloaded.large_height) == ("Front", 1200, 600)


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def with_documents(sample, documents):
    screws = next(p for p in sample["products"] if p["sku"] == "SCR-200")
    screws["documents"] = documents
    return sample


def test_documents_load_reload_unchanged_and_dump_back(sample, write_bundle, tmp_path):
    (tmp_path / "sheets").mkdir()
    (tmp_path / "sheets" / "scr-200.pdf").write_bytes(PDF)
    documents = [
        {"path": "sheets/scr-200.pdf", "title": "Data sheet"},
        {"path": "sheets/scr-200.pdf", "title": "Safety data sheet", "kind": "safety"},
    ]
    path = write_bundle(with_documents(sample, documents))
    load_store(path)
    rows = list(
        ProductDocument.objects.filter(product__sku="SCR-200").values_list(
            "title", "kind", "position", "size"
        )
    )
    assert rows == [("Data sheet", "datasheet", 0, 51), ("Safety data sheet", "safety", 1, 51)]
    before = database_snapshot()
    load_store(path)
    assert database_snapshot() == before

    out = tmp_path / "dump" / "store.json"
    out.parent.mkdir()
    call_command("dump_store", output=str(out))
    (screws,) = [p for p in json.loads(out.read_text())["products"] if p["sku"] == "SCR-200"]
    assert [(d["title"], d["kind"]) for d in screws["documents"]] == [
        ("Data sheet", "datasheet"),
        ("Safety data sheet", "safety"),
    ]
    assert (out.parent / screws["documents"][0]["path"]).read_bytes() == PDF
    assert screws["images"] == []


def test_bad_documents_are_named_by_their_path(sample, write_bundle, tmp_path):
    png(tmp_path / "photo.png", 10, 10)
    (tmp_path / "huge.pdf").write_bytes(b"%PDF-" + b"\0" * (20 * 1024 * 1024))
    documents = [
        {"path": "photo.png", "title": "Not a PDF"},
        {"path": "huge.pdf", "title": "Too large"},
        {"path": "nowhere.pdf", "title": "Missing"},
    ]
    with pytest.raises(BundleError) as refused:
        load_store(write_bundle(with_documents(sample, documents)))
    screws = next(i for i, p in enumerate(sample["products"]) if p["sku"] == "SCR-200")
    where = f"products[{screws}].documents"
    assert refused.value.messages == [
        f"{where}[0].path: is not a PDF document",
        f"{where}[1].path: is larger than 20 MB",
        f"{where}[2].path: no file 'nowhere.pdf' beside the bundle",
    ]
    assert not ProductDocument.objects.exists()
