import oscar.apps.shipping.apps as apps


class ShippingConfig(apps.ShippingConfig):
    """Oscar's shipping, forked for community pickup points and postal delivery."""

    name = "market.shipping"
