from django import template

register = template.Library()


@register.simple_tag
def product_origin(product):
    """What the product page shows: its village, origin facts, latest batch and the day an order now arrives."""
    from django.conf import settings
    from django.utils import timezone

    from market.delivery import delivery_day
    from market.models import ProductOrigin

    record = product.stockrecords.select_related("partner__village__page").first()
    return {
        "village": getattr(record.partner, "village", None) if record else None,
        "origin": ProductOrigin.objects.filter(product=product).first(),
        "batch": product.batches.first(),
        "arrives": delivery_day(timezone.now()),
        "cutoff_hour": settings.SHOP_DELIVERY_CUTOFF_HOUR,
        "past_cutoff": timezone.localtime().hour >= settings.SHOP_DELIVERY_CUTOFF_HOUR,
    }
