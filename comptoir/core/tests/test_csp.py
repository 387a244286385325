"""The CSP header built once per process (core/csp.py) is django-csp's, byte for byte, and
a view's own policy or a page's nonce still go through django-csp."""

from csp.decorators import csp_exempt, csp_update
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from comptoir.core.csp import ConstantCSPMiddleware

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'"
)


def served(view, middleware_class, *, use_nonce=False):
    def handler(request):
        if use_nonce:
            str(request.csp_nonce)
        return view(request)

    middleware = middleware_class(handler)
    request = RequestFactory().get("/")
    return request, middleware(request)


def plain(request):
    return HttpResponse("ok")


def directives(header: str) -> set[str]:
    return set(header.split("; "))


def test_the_header_is_django_csps_for_a_plain_page():
    _, ours = served(plain, ConstantCSPMiddleware)
    _, theirs = served(plain, CSPMiddleware)
    assert ours["Content-Security-Policy"] == theirs["Content-Security-Policy"]
    assert directives(ours["Content-Security-Policy"]) == directives(POLICY)
    assert "Content-Security-Policy-Report-Only" not in ours


def test_a_views_own_policy_and_a_nonce_are_built_per_response():
    updated = csp_update({"img-src": "https://cdn.example"})(plain)
    _, response = served(updated, ConstantCSPMiddleware)
    assert "img-src 'self' data: https://cdn.example" in response["Content-Security-Policy"]
    _, response = served(csp_exempt()(plain), ConstantCSPMiddleware)
    assert "Content-Security-Policy" not in response
    request, response = served(plain, ConstantCSPMiddleware, use_nonce=True)
    assert directives(response["Content-Security-Policy"]) == directives(POLICY)
    assert request._csp_nonce


def test_the_header_set_by_the_view_is_kept():
    def own(request):
        response = HttpResponse("ok")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    _, response = served(own, ConstantCSPMiddleware)
    assert response["Content-Security-Policy"] == "default-src 'none'"
