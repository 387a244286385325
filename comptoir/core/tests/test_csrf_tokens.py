"""The copied pages' CSRF tokens (core/csrf_tokens.py) are Django's: the same secret under a
new mask, a new cookie where the request had none, and checked by Django's middleware."""

from collections import Counter

from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CsrfViewMiddleware,
    _unmask_cipher_token,
)
from django.test import RequestFactory

from comptoir.core.csrf_tokens import get_token

SECRET = "abcdefghijABCDEFGHIJ0123456789xy"


def view(request):
    return HttpResponse("ok")


def posted(token: str, secret: str):
    """A form post with `token` and the cookie `secret`, through Django's CSRF middleware."""
    request = RequestFactory().post("/", {"csrfmiddlewaretoken": token})
    request.COOKIES["csrftoken"] = secret
    middleware = CsrfViewMiddleware(view)
    middleware.process_request(request)
    return middleware.process_view(request, view, (), {})


def test_a_request_with_the_cookie_keeps_its_secret_under_a_new_mask():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = SECRET
    first, second = get_token(request), get_token(request)
    assert len(first) == 64 and set(first) <= set(CSRF_ALLOWED_CHARS)
    assert first != second
    assert _unmask_cipher_token(first) == SECRET == _unmask_cipher_token(second)
    assert request.META["CSRF_COOKIE"] == SECRET
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_a_request_without_the_cookie_gets_a_new_secret_set_on_the_response():
    request = RequestFactory().get("/")
    token = get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == 32 and set(secret) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret
    response = CsrfViewMiddleware(view).process_response(request, HttpResponse("ok"))
    assert response.cookies["csrftoken"].value == secret


def test_django_accepts_the_token_with_its_cookie_and_refuses_it_with_another():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = SECRET
    token = get_token(request)
    assert posted(token, SECRET) is None
    assert posted(token, "x" * 32).status_code == 403
    tampered = token[:40] + ("a" if token[40] != "a" else "b") + token[41:]
    assert posted(tampered, SECRET).status_code == 403


def test_every_character_of_the_alphabet_is_drawn():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = SECRET
    drawn = Counter("".join(get_token(request)[:32] for _ in range(500)))
    assert set(drawn) == set(CSRF_ALLOWED_CHARS)
