"""The language of an API answer (issue 20): `?lang=fr` on any call, else the
`Accept-Language` header (or the storefront's language cookie, for a browser's session).
Catalogue text (names, descriptions, attribute labels, methods) comes in that language, the
store's where it has no translation; the answer's `Content-Language` says which language
was used."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import language_code_re

from comptoir.core.content_languages import content_languages
from comptoir.core.problem_json import problem


def supported_language(tag: str) -> str | None:
    """The content language a `?lang=` tag names, read as the header's tags are (Django's
    `get_supported_language_variant`, which `get_language_from_request` calls for each):
    `fr-FR`, `FR` and `fr_FR` read `fr`; `pt-BR` reads `pt-br` where it is a content language,
    else `pt` or another `pt-…`; None for a tag naming none of them."""
    tag = tag.strip().replace("_", "-").lower()
    if not language_code_re.search(tag):
        return None
    try:
        return translation.get_supported_language_variant(tag)
    except LookupError:
        return None


class ApiLanguageMiddleware:
    """After LocaleMiddleware: `?lang=` wins over the header for the API's paths."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        given = request.GET.get("lang")
        if given is None:
            # LocaleMiddleware gives unprefixed paths the default language (i18n_patterns
            # with prefix_default_language=False): the API reads the header itself.
            language = translation.get_language_from_request(request)
        else:
            language = supported_language(given)
            if language is None:
                return problem(
                    400,
                    "unknown_language",
                    _("%(language)s is not one of the store's languages (%(languages)s).")
                    % {"language": given.strip(), "languages": ", ".join(content_languages())},
                )
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers["Content-Language"] = language
        return response
