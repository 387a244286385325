"""A store bundle in one zip (docs/bundle.md, "Zip archives"): loaded as a folder is, every
unsafe archive refused with the entry it names, and nothing written."""

import hashlib
import io
import json
import stat
import warnings
import zipfile

import pytest
from django.core.management import call_command
from PIL import Image

from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store
from comptoir.bundle.tests.conftest import empty_the_store
from comptoir.catalog.models import Product, ProductDocument, ProductImage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def png_bytes(width=1600, height=800) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def with_files(sample, images=(), documents=()):
    screws = next(p for p in sample["products"] if p["sku"] == "SCR-200")
    screws["images"] = list(images)
    screws["documents"] = list(documents)
    return sample


def screws_path(sample) -> str:
    return f"products[{next(i for i, p in enumerate(sample['products']) if p['sku'] == 'SCR-200')}]"


def write_zip(path, entries):
    """`entries`: name → bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def bundle_zip(tmp_path, sample, files, name="store.zip", bundle_name="store.json"):
    return write_zip(tmp_path / name, {bundle_name: json.dumps(sample).encode(), **files})


def refused(path) -> list[str]:
    with pytest.raises(BundleError) as caught:
        load_store(path)
    assert not Product.objects.exists()
    return caught.value.messages


def test_a_zip_loads_its_json_and_the_files_it_names(sample, tmp_path):
    images = [{"path": "images/front.png", "alt": "Box, front"}]
    documents = [{"path": "sheets/scr-200.pdf", "title": "Data sheet"}]
    path = bundle_zip(
        tmp_path,
        with_files(sample, images, documents),
        # Some tools write `./` before the names: the same entry.
        {"images/front.png": png_bytes(), "./sheets/scr-200.pdf": PDF},
    )
    load_store(path)
    image = ProductImage.objects.get(product__sku="SCR-200")
    assert (image.alt, image.large_width, image.large_height) == ("Box, front", 1200, 600)
    document = ProductDocument.objects.get(product__sku="SCR-200")
    assert document.file.read() == PDF
    assert Product.objects.count() == len(sample["products"])


def test_the_only_json_at_the_root_is_the_bundle_whatever_its_name(sample, tmp_path):
    path = bundle_zip(tmp_path, sample, {"notes/readme.json": b"{}"}, bundle_name="acme.json")
    load_store(path)
    assert Product.objects.filter(sku="SCR-200").exists()


def test_store_json_is_chosen_among_several_json_files(sample, tmp_path):
    path = bundle_zip(tmp_path, sample, {"other.json": b"not even JSON"})
    load_store(path)
    assert Product.objects.filter(sku="SCR-200").exists()


def test_a_zip_without_a_clear_bundle_is_refused(sample, tmp_path):
    none = write_zip(tmp_path / "none.zip", {"images/front.png": png_bytes(10, 10)})
    assert refused(none) == ["(zip): no bundle: put it at the root of the zip as store.json"]
    two = write_zip(tmp_path / "two.zip", {"a.json": b"{}", "b.json": b"{}"})
    assert refused(two) == [
        "(zip): 2 JSON files at the root (a.json, b.json): name the bundle store.json"
    ]


def test_a_file_named_zip_that_is_not_one_is_refused(tmp_path):
    path = tmp_path / "store.zip"
    path.write_text('{"products": []}')
    assert refused(path) == ["(zip): not a zip archive: File is not a zip file"]


def test_a_missing_or_bad_file_is_named_by_its_path(sample, tmp_path):
    images = [
        {"path": "images/missing.png", "alt": "Missing"},
        {"path": "images/huge.png", "alt": "Too large"},
        {"path": "../front.png", "alt": "Outside"},
    ]
    documents = [{"path": "sheets/photo.pdf", "title": "Not a PDF"}]
    path = bundle_zip(
        tmp_path,
        with_files(sample, images, documents),
        {
            "images/huge.png": b"\x89PNG" + b"\0" * (10 * 1024 * 1024),
            "sheets/photo.pdf": png_bytes(10, 10),
        },
    )
    where = screws_path(sample)
    assert refused(path) == [
        f"{where}.images[0].path: no file 'images/missing.png' in the zip",
        f"{where}.images[1].path: is larger than 10 MB",
        f"{where}.images[2].path: must be a path relative to the bundle's folder, without '..'",
        f"{where}.documents[0].path: is not a PDF document",
    ]


@pytest.mark.parametrize("name", ["../evil.png", "/etc/evil.png", "images/../../evil.png"])
def test_an_entry_leaving_the_archive_is_refused(sample, tmp_path, name):
    path = bundle_zip(tmp_path, sample, {name: png_bytes(10, 10)})
    assert refused(path) == [f"(zip) {name}: a path leaving the archive (absolute or with '..')"]


def test_a_symbolic_link_is_refused(sample, tmp_path):
    path = tmp_path / "store.zip"
    link = zipfile.ZipInfo("images/front.png")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("store.json", json.dumps(sample))
        archive.writestr(link, "/etc/passwd")
    assert refused(path) == ["(zip) images/front.png: a symbolic link"]


def test_an_encrypted_entry_is_refused(sample, tmp_path):
    path = tmp_path / "store.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("store.json", json.dumps(sample))
        archive.writestr("images/front.png", png_bytes(10, 10))
        # zipfile cannot encrypt: the flag alone says so in the central directory.
        archive.getinfo("images/front.png").flag_bits |= 0x1
    assert refused(path) == ["(zip) images/front.png: encrypted"]


def test_a_name_given_twice_is_refused(sample, tmp_path):
    path = tmp_path / "store.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile's "Duplicate name"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("store.json", json.dumps(sample))
            archive.writestr("images/front.png", png_bytes(10, 10))
            archive.writestr("images/front.png", b"something else")
    assert refused(path) == ["(zip) images/front.png: appears 2 times"]


def test_bzip2_entries_are_refused(sample, tmp_path):
    path = tmp_path / "store.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("store.json", json.dumps(sample))
        archive.writestr("images/front.png", png_bytes(10, 10), zipfile.ZIP_BZIP2)
    assert refused(path) == ["(zip) images/front.png: compressed otherwise than stored or deflated"]


def test_too_many_entries_are_refused(sample, tmp_path, settings):
    settings.BUNDLE_ZIP_MAX_ENTRIES = 3
    files = {f"images/{n}.png": png_bytes(10, 10) for n in range(3)}
    path = bundle_zip(tmp_path, sample, files)
    assert refused(path) == ["(zip): 4 entries, more than the 3 allowed"]


def test_more_bytes_declared_than_allowed_are_refused_before_reading(sample, tmp_path, settings):
    settings.BUNDLE_ZIP_MAX_BYTES = 100_000
    path = bundle_zip(tmp_path, sample, {"images/zeros.png": b"\0" * 100_000})
    declared = sum(info.file_size for info in zipfile.ZipFile(path).infolist())
    assert declared > 100_000
    assert refused(path) == [f"(zip): {declared} bytes once unpacked, more than the 100000 allowed"]


def test_an_entry_holding_more_than_it_declares_is_read_no_further(sample, tmp_path):
    """A zip bomb that lies about its size: 20 MB of zeros declared as 100 bytes. The read
    stops at the declared size and the entry is refused, never unpacked whole."""
    path = tmp_path / "store.zip"
    images = [{"path": "images/bomb.png", "alt": "Bomb"}]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("store.json", json.dumps(with_files(sample, images)))
        archive.writestr("images/bomb.png", b"\0" * (20 * 1024 * 1024))
        archive.getinfo("images/bomb.png").file_size = 100
    (message,) = refused(path)
    assert message == (
        f"{screws_path(sample)}.images[0].path: is damaged in the zip: "
        "Bad CRC-32 for file 'images/bomb.png'"
    )


def test_dump_to_a_zip_loads_back_into_an_empty_store(sample, tmp_path):
    """Round trip: the same catalogue, the same picture files (by their hash) and documents
    (byte for byte); a second dump says the same but for the generated file names."""
    images = [
        {"path": "images/front.png", "alt": "Box, front"},
        {"path": "images/side.png", "alt": "Box, side"},
    ]
    documents = [{"path": "sheets/scr-200.pdf", "title": "Data sheet", "kind": "safety"}]
    load_store(
        bundle_zip(
            tmp_path,
            with_files(sample, images, documents),
            {
                "images/front.png": png_bytes(),
                "images/side.png": png_bytes(600, 900),
                "sheets/scr-200.pdf": PDF,
            },
            name="source.zip",
        )
    )
    dumped = tmp_path / "dump.zip"
    call_command("dump_store", output=str(dumped))
    with zipfile.ZipFile(dumped) as archive:
        names = archive.namelist()
        first = json.loads(archive.read("store.json"))
        (screws,) = [p for p in first["products"] if p["sku"] == "SCR-200"]
        large = [archive.read(image["path"]) for image in screws["images"]]
    assert names[0] == "store.json"
    assert sorted(names[1:]) == sorted(
        [image["path"] for image in screws["images"]]
        + [document["path"] for document in screws["documents"]]
    )
    originals = [image.large.read() for image in ProductImage.objects.order_by("position")]
    assert large == originals

    empty_the_store()
    assert not Product.objects.exists()
    load_store(dumped)

    reloaded = ProductImage.objects.filter(product__sku="SCR-200").order_by("position")
    assert [(i.alt, i.source_sha256) for i in reloaded] == [
        ("Box, front", hashlib.sha256(originals[0]).hexdigest()),
        ("Box, side", hashlib.sha256(originals[1]).hexdigest()),
    ]
    (document,) = ProductDocument.objects.filter(product__sku="SCR-200")
    assert (document.title, document.kind, document.file.read()) == ("Data sheet", "safety", PDF)

    again = tmp_path / "again.zip"
    call_command("dump_store", output=str(again))
    with zipfile.ZipFile(again) as archive:
        second = json.loads(archive.read("store.json"))
    assert without_file_names(second) == without_file_names(first)
    assert sorted(p["sku"] for p in second["products"]) == [
        "BAG-ACME",
        "PAL-1",
        "SCR-100",
        "SCR-200",
    ]


def without_file_names(bundle: dict) -> dict:
    for product in bundle["products"]:
        for item in product["images"] + product["documents"]:
            item["path"] = item["path"].split("/")[0]
    return bundle


def test_a_bundle_json_holding_more_than_it_declares_is_refused(sample, tmp_path):
    path = tmp_path / "store.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("store.json", json.dumps(sample) + " " * 1_000_000)
        archive.getinfo("store.json").file_size = 1000
    assert refused(path) == ["(zip) store.json: is damaged: Bad CRC-32 for file 'store.json'"]
