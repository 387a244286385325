"""The store's logo in the bundle: `store.logo` names a picture beside it (docs/bundle.md)."""

import json

import pytest
from django.core.management import call_command

from comptoir.bundle.errors import BundleError
from comptoir.bundle.loader import load_store
from comptoir.core.models import Store
from comptoir.core.tests.test_store_logo import picture

pytestmark = pytest.mark.django_db


def test_the_bundle_loads_the_logo_keeps_it_on_a_second_load_and_dumps_it(
    sample, write_bundle, tmp_path
):
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "logo.png").write_bytes(picture(960, 192))
    sample["store"]["logo"] = "brand/logo.png"
    path = write_bundle(sample)
    load_store(path)
    first = Store.objects.get()
    assert (first.logo_width, first.logo_height) == (480, 96)
    load_store(path)
    assert Store.objects.get().logo.name == first.logo.name  # no new rendition

    out = tmp_path / "dump" / "store.json"
    out.parent.mkdir()
    call_command("dump_store", output=str(out))
    dumped = json.loads(out.read_text())["store"]["logo"]
    assert dumped == f"images/{first.logo.name.split('/')[1]}"
    assert (out.parent / dumped).is_file()
    del sample["store"]["logo"]
    load_store(write_bundle(sample))
    assert Store.objects.get().logo.name == first.logo.name  # absent: kept


def test_a_bad_logo_in_the_bundle_is_named_and_nothing_is_written(sample, write_bundle, tmp_path):
    (tmp_path / "logo.png").write_bytes(b"%PDF-1.7 not a picture")
    for logo, message in (
        ("logo.png", "is not a JPEG, PNG, WebP or GIF picture"),
        ("missing.png", "no file 'missing.png' beside the bundle"),
        ("../logo.png", "must be a path relative to the bundle's folder, without '..'"),
    ):
        sample["store"]["logo"] = logo
        with pytest.raises(BundleError) as refused:
            load_store(write_bundle(sample))
        assert refused.value.messages == [f"store.logo: {message}"]
    assert not Store.objects.exists()
