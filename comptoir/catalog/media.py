"""Serves product pictures, documents (PDF) and the store's logo at MEDIA_URL (docs/deployment.md,
"Product pictures").

WhiteNoise serves static files only, and the private storage has no URL at all
(core/storage.py). Product pictures and documents are public, like the product pages that
show them, and their names are generated and never reused, so they are sent to anyone with a
year-long `immutable` cache lifetime. Only names of the shape the catalogue writes are
looked up; a proxy in front may serve MEDIA_ROOT itself and never reach this view.
"""

import re

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from comptoir.catalog.models import product_media

NAME = re.compile(r"products/[0-9a-f]{32}(-400\.webp|-1200\.webp|\.pdf)|logos/[0-9a-f]{32}\.webp")
ONE_YEAR = 365 * 24 * 3600


@require_GET
def serve(request, name: str):
    if not NAME.fullmatch(name):
        raise Http404
    try:
        handle = product_media.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    pdf = name.endswith(".pdf")
    response = FileResponse(handle, content_type="application/pdf" if pdf else "image/webp")
    if pdf:
        # Shown by the browser's viewer, never run as a page of the store.
        response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
