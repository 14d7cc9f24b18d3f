from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """社区家园: Wagtail pages for the home page, communities, villages, news and events."""

    name = "cms"
    verbose_name = _("社区家园")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401
