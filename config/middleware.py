from csp.constants import SELF
from csp.middleware import CSPMiddleware
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


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's policy, except in Wagtail's admin (operators and editors only), whose page
    editor still writes small inline scripts (date pickers, inline panels) without a nonce."""

    ADMIN_PREFIX = "/cms/"

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(self.ADMIN_PREFIX):
            parts.replace = {**(parts.replace or {}), "script-src": [SELF, "'unsafe-inline'"]}
            parts.nonce = None  # a nonce would switch 'unsafe-inline' off again
        return parts
