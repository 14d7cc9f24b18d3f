from django import template

register = template.Library()


@register.simple_tag
def product_origin(product):
    """What the origin block shows for a product: its village, origin facts and latest batch."""
    from market.models import ProductOrigin

    record = product.stockrecords.select_related("partner__village__page").first()
    return {
        "village": getattr(record.partner, "village", None) if record else None,
        "origin": ProductOrigin.objects.filter(product=product).first(),
        "batch": product.batches.first(),
    }
