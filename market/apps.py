from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    """共富超市: villages, communities and pickup points around django-oscar."""

    name = "market"
    verbose_name = _("共富超市")
    default_auto_field = "django.db.models.BigAutoField"
