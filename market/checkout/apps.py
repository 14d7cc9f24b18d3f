import oscar.apps.checkout.apps as apps
from django.contrib.auth.decorators import login_required
from django.urls import path


class CheckoutConfig(apps.CheckoutConfig):
    """Oscar's checkout, forked for pickup in two pages (收货方式, then confirm) and pay-at-pickup."""

    name = "market.checkout"

    def get_urls(self):
        from .views import DeliveryView

        return [path("delivery/", login_required(DeliveryView.as_view()), name="delivery")] + super().get_urls()
