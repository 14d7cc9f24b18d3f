from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Online payment through Stripe Checkout: sessions, verified webhooks, refunds, release of unpaid orders."""

    name = "market.payments"
    label = "payments"
    verbose_name = _("在线支付")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from oscar.apps.order.signals import order_placed

        from . import receivers

        order_placed.connect(receivers.schedule_release, dispatch_uid="payments.schedule_release")
