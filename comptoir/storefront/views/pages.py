"""Pages anyone may read, logged in or not."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from comptoir.storefront.access import open_to_visitors


@open_to_visitors
@require_GET
def legal(request):
    return render(request, "storefront/legal.html", {"store": request.viewer.store})
