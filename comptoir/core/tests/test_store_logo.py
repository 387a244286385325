"""The store's logo (issue 20, "Look"): uploaded in the back office or named by the bundle,
checked like a product picture, kept as one WebP rendition in public media and shown in
every page's header; without one the header shows the store's name. The bundle's
`store.logo`: comptoir/bundle/tests/test_logo_bundle.py."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from comptoir.core.logo import store_logo_set
from comptoir.core.models import Store

pytestmark = pytest.mark.django_db


def picture(width=1200, height=300, fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (240, 160, 30)).save(out, format=fmt)
    return out.getvalue()


def test_the_header_shows_the_logo_or_else_the_stores_name(client, store):
    name = "Quincaillerie Martin &amp; Fils"
    assert f'<span class="brand-name">{name}</span>' in client.get("/").content.decode()
    store_logo_set(store, picture())
    store.save()
    page = client.get("/").content.decode()
    assert store.logo.name.startswith("logos/") and store.logo.name.endswith(".webp")
    assert (store.logo_width, store.logo_height) == (384, 96)  # 1200 × 300 fitted in 480 × 96
    assert (
        f'<img class="logo" src="/media/{store.logo.name}" alt="{name}" width="384" height="96">'
    ) in page
    served = client.get(f"/media/{store.logo.name}")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/webp"
    assert b"".join(served.streaming_content)[8:12] == b"WEBP"
    assert client.get("/media/logos/../core/x.webp").status_code == 404


def test_the_back_office_uploads_a_logo_refuses_a_pdf_and_removes_it(admin_client, store):
    url = "/admin/core/store/1/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    refused = admin_client.post(
        url, data | {"logo_upload": SimpleUploadedFile("logo.png", b"%PDF-1.4 x")}
    )
    assert refused.status_code == 200
    assert "Send a JPEG, PNG, WebP or GIF picture" in refused.content.decode()
    assert not Store.objects.get().logo

    upload = SimpleUploadedFile("logo.jpg", picture(200, 100, "JPEG"))
    assert admin_client.post(url, data | {"logo_upload": upload}).status_code == 302
    saved = Store.objects.get()
    assert (saved.logo_width, saved.logo_height) == (192, 96)

    assert admin_client.post(url, data | {"logo_remove": "on"}).status_code == 302
    cleared = Store.objects.get()
    assert (cleared.logo.name, cleared.logo_width, cleared.logo_sha256) == ("", 0, "")
