"""The optional online check of EU VAT numbers with the Commission's VIES service.

Off by default (`VIES_CHECK`). When on, a number VIES declares invalid loses the reverse
charge; when VIES does not answer in time, the format check alone decides, so checkout is
never blocked by the service. Answers are cached for a day.
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)
CACHE_SECONDS = 24 * 3600


def vat_confirmed(number: str) -> bool | None:
    """True or False as VIES answers for an EU VAT number; None when not asked or no answer."""
    if not settings.VIES_CHECK or len(number) < 4:
        return None
    key = f"vies:{number.upper()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    answer = _ask(number[:2].upper(), number[2:])
    if answer is not None:
        cache.set(key, answer, CACHE_SECONDS)
    return answer


def _ask(country: str, number: str) -> bool | None:
    body = json.dumps({"countryCode": country, "vatNumber": number}).encode()
    request = urllib.request.Request(
        settings.VIES_URL, data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.VIES_TIMEOUT) as response:
            answer = json.load(response)
    except (OSError, ValueError) as error:
        logger.warning("VIES did not answer for %s%s: %s", country, number, error)
        return None
    valid = answer.get("valid") if isinstance(answer, dict) else None
    return valid if isinstance(valid, bool) else None
