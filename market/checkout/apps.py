import oscar.apps.checkout.apps as apps


class CheckoutConfig(apps.CheckoutConfig):
    """Oscar's checkout, forked to offer pay-at-pickup (and card payments)."""

    name = "market.checkout"
