from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    """共富超市: villages, communities and pickup points around django-oscar."""

    name = "market"
    verbose_name = _("共富超市")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate, pre_save
        from oscar.core.loading import get_model

        from . import receivers
        from .richtext import clean_description

        for model in (get_model("catalogue", "Product"), get_model("catalogue", "Category")):
            pre_save.connect(clean_description, sender=model, dispatch_uid=f"clean-{model.__name__}")
        post_migrate.connect(receivers.site_from_setting, sender=self)
        from oscar.apps.order.signals import order_placed

        order_placed.connect(receivers.schedule_pickup_deadline, dispatch_uid="pickup-deadline")
        from oscar.apps.order.signals import order_status_changed

        from .delivery import record_delivery, retire_pickup_code

        order_placed.connect(record_delivery, dispatch_uid="order-delivery")
        order_status_changed.connect(retire_pickup_code, dispatch_uid="retire-pickup-code")

        # A backstop behind market.images: Pillow itself refuses anything twice this size.
        from PIL import Image
        from django.conf import settings

        Image.MAX_IMAGE_PIXELS = settings.IMAGE_UPLOAD_MAX_PIXELS
