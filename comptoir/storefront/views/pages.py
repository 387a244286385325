"""Pages anyone may read, logged in or not."""

from django.contrib.staticfiles import finders
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from comptoir.storefront.access import open_to_visitors

FAVICON = "storefront/favicon.ico"


@open_to_visitors
@require_GET
def legal(request):
    return render(request, "storefront/legal.html", {"store": request.viewer.store})


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever the page says: a 404 there
    fills the logs. Found like any static file, so it needs no `collectstatic`."""
    return FileResponse(open(finders.find(FAVICON), "rb"), content_type="image/x-icon")
