"""Security promises of docs/security.md that no other test holds: uploaded files have no
public URL, every answer carries the security headers, production cookies are secure.

Cross-company access is in tests/test_cross_company.py; login throttling and the token limit
in tests/test_production_profile.py; `check --deploy` in tests/test_project_setup.py.
"""

import json
import secrets
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.factories import CompanyFactory, ProductFactory, TaxCertificateFactory, UserFactory
from tests.test_project_setup import BASE_DIR, run_django

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"

# Where files are stored and served, as the real settings say (not the tests' overrides).
PRINT_STORAGE = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import storages

static_folders = [settings.STATIC_ROOT] if settings.STATIC_ROOT else []
for finder in finders.get_finders():
    for storage in getattr(finder, "storages", {}).values():
        static_folders.append(storage.location)
    for _prefix, root in getattr(finder, "locations", []):
        static_folders.append(root)
default = settings.STORAGES["default"]
print(json.dumps({
    "backend": default["BACKEND"],
    "location": str(default["OPTIONS"]["location"]),
    "base_url": default["OPTIONS"].get("base_url"),
    "private_media_root": str(settings.PRIVATE_MEDIA_ROOT),
    "media_url": settings.MEDIA_URL,
    "media_root": str(settings.MEDIA_ROOT),
    "whitenoise_root": str(getattr(settings, "WHITENOISE_ROOT", None)),
    "static_folders": [str(folder) for folder in static_folders],
    "storage_url_refused": type(storages["default"]).url is not
        __import__("django.core.files.storage", fromlist=["x"]).FileSystemStorage.url,
}))
"""


def production_env(tmp_path: Path) -> dict:
    return {
        "COMPTOIR_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "shop.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }


def _inside(path: str, folder: str) -> bool:
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


# Uploaded files


@pytest.mark.parametrize("profile", ["development", "production"])
def test_the_private_storage_is_outside_every_served_folder_and_has_no_url(tmp_path, profile):
    env = production_env(tmp_path) if profile == "production" else {}
    result = run_django(["-c", PRINT_STORAGE], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])

    assert found["backend"] == "comptoir.core.storage.PrivateFileSystemStorage"
    assert found["location"] == found["private_media_root"]
    assert found["base_url"] is None
    assert found["storage_url_refused"]
    # MEDIA_ROOT holds the public product pictures only (served at MEDIA_URL by
    # catalog/media.py, which answers nothing but their generated names): it and the private
    # folder hold nothing of each other. WhiteNoise serves the static folders only, none of
    # which holds the private files.
    assert found["media_url"] == "/media/"
    assert found["whitenoise_root"] == "None"
    assert not _inside(found["location"], found["media_root"])
    assert not _inside(found["media_root"], found["location"])
    assert found["static_folders"]
    for folder in found["static_folders"]:
        assert not _inside(found["location"], folder), folder
        assert not _inside(folder, found["location"]), folder
    assert not _inside(found["location"], str(BASE_DIR / "comptoir"))


def test_a_stored_document_has_no_url_and_no_path_serves_it(store, client):
    company = CompanyFactory(american=True)
    buyer = UserFactory(company=company)
    certificate = TaxCertificateFactory(company=company)
    certificate.document.save("scan.pdf", ContentFile(PDF))
    name = certificate.document.name

    with pytest.raises(ValueError, match="private files have no URL"):
        default_storage.url(name)
    with pytest.raises(ValueError, match="private files have no URL"):
        _ = certificate.document.url

    client.force_login(buyer)  # even its own company's buyer
    location = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    for guess in (
        f"/{name}",
        f"/media/{name}",
        f"/static/{name}",
        f"/private/{name}",
        f"/var/private/{name}",
        f"/static/../{location.name}/{name}",
    ):
        response = client.get(guess)
        assert response.status_code == 404, guess
        assert PDF not in response.content
    response = client.get(f"/account/certificates/{certificate.pk}/document/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_document_goes_to_its_company_only(store, client):
    certificate = TaxCertificateFactory(company=CompanyFactory(american=True))
    certificate.document.save("scan.pdf", ContentFile(PDF))
    url = f"/account/certificates/{certificate.pk}/document/"

    anonymous = client.get(url)
    assert anonymous.status_code == 404
    client.force_login(UserFactory(company=CompanyFactory(american=True, code="OTHER-NY")))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(company=certificate.company))
    assert client.get(url).status_code == 200


# Security headers


@pytest.fixture
def pages(store):
    product = ProductFactory(sku="SCR-100")
    return {
        "home": "/",
        "product page": f"/p/{product.sku}/",
        "login page": "/account/login/",
        "page not found": "/p/NO-SUCH-SKU/",
        "API list": "/api/v1/products",
        "API problem": "/api/v1/products/NO-SUCH-SKU",
        "OpenAPI document": "/api/v1/openapi.json",
        "API docs": "/api/v1/docs",
        "health": "/healthz",
    }


def test_every_answer_carries_the_security_headers(client, pages):
    for what, url in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 404), (what, response.status_code)
        headers = response.headers
        policy = headers.get("Content-Security-Policy", "")
        for directive in (
            "default-src 'self'",
            "script-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ):
            assert directive in policy, (what, directive, policy)
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0], what
        assert headers.get("X-Frame-Options") == "DENY", what
        assert headers.get("X-Content-Type-Options") == "nosniff", what
        assert headers.get("Referrer-Policy") == "same-origin", what
        assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", what


def test_the_api_docs_load_their_scripts_from_this_site(client, pages):
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn." not in page and "https://" not in page
    # No inline script: the Content Security Policy would block it.
    assert "<script>" not in page.replace(" ", "")
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


# Production cookies and transport (a fresh process: settings are read at start)

PRINT_PRODUCTION = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.management import call_command
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import Client, RequestFactory

call_command("migrate", "sessions", verbosity=0)

def view(request):
    request.session["seen"] = True
    get_token(request)
    return HttpResponse("ok")

request = RequestFactory().get("/", secure=True, HTTP_HOST="shop.example.com")
response = SessionMiddleware(CsrfViewMiddleware(view))(request)
cookies = {
    name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]}
    for name, c in response.cookies.items()
}
plain = Client().get("/healthz", HTTP_HOST="shop.example.com")
tls = Client().get("/healthz", HTTP_HOST="shop.example.com", secure=True)
print(json.dumps({
    "cookies": cookies,
    "plain": [plain.status_code, plain.get("Location")],
    "hsts": tls.get("Strict-Transport-Security"),
    "debug": settings.DEBUG,
}))
"""


def test_production_cookies_are_secure_and_https_is_enforced(tmp_path):
    result = run_django(["-c", PRINT_PRODUCTION], tmp_path, **production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["cookies"] == {
        "csrftoken": {"secure": True, "httponly": False, "samesite": "Lax"},
        "sessionid": {"secure": True, "httponly": True, "samesite": "Lax"},
    }
    assert found["plain"] == [301, "https://shop.example.com/healthz"]
    assert found["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert found["debug"] is False


def test_development_cookies_work_over_plain_http(tmp_path):
    result = run_django(["-c", PRINT_PRODUCTION], tmp_path, ALLOWED_HOSTS="shop.example.com")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["cookies"]["sessionid"] == {"secure": False, "httponly": True, "samesite": "Lax"}
    assert found["plain"][0] == 200
    assert found["hsts"] is None


# API tokens


def test_staff_revoke_an_api_token_from_the_user_page(store, client, admin_client):
    from comptoir.accounts.models import ApiToken

    buyer = UserFactory(company=CompanyFactory(), email="achats@acme.example")
    token = client.post(
        "/api/v1/auth/token",
        {"email": buyer.email, "password": "Comptoir-2026!"},
        content_type="application/json",
    ).json()["token"]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/account", **bearer).status_code == 200
    stored = ApiToken.objects.get(user=buyer)
    assert stored.digest != token  # only the digest is kept

    url = f"/admin/accounts/user/{buyer.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="api_tokens-0-DELETE"' in page.content.decode()
    response = admin_client.post(
        url,
        {
            "email": buyer.email,
            "first_name": buyer.first_name,
            "last_name": buyer.last_name,
            "company": buyer.company.pk,
            "role": buyer.role,
            "is_active": "on",
            "api_tokens-TOTAL_FORMS": "1",
            "api_tokens-INITIAL_FORMS": "1",
            "api_tokens-MIN_NUM_FORMS": "0",
            "api_tokens-MAX_NUM_FORMS": "1000",
            "api_tokens-0-id": stored.pk,
            "api_tokens-0-user": buyer.pk,
            "api_tokens-0-DELETE": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not ApiToken.objects.filter(user=buyer).exists()
    revoked = client.get("/api/v1/account", **bearer)
    assert revoked.status_code == 401
    assert revoked.json()["code"] == "login_required"
