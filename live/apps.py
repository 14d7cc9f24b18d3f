from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    """幸福直播间: live sales sessions, their chat and the WebSocket room."""

    name = "live"
    verbose_name = _("幸福直播间")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import mimetypes

        from market.payments.signals import unpaid_order_released

        from . import claims, receivers  # noqa: F401  (order notices)

        unpaid_order_released.connect(claims.release_for_order, dispatch_uid="live.release_for_order")

        mimetypes.add_type("video/mp2t", ".ts")  # HLS segments, not Qt translations
