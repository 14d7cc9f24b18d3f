from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def language_from_cookie(cookies):
    """The language the visitor chose with the site's switch; Chinese until they do."""
    chosen = cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class SiteLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language does not override 简体中文."""

    def process_request(self, request):
        translation.activate(language_from_cookie(request.COOKIES))
        request.LANGUAGE_CODE = translation.get_language()
