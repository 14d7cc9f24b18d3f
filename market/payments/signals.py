from django.dispatch import Signal

# An online-payment order was cancelled unpaid and its stock returned (sender: the Order).
# The live rooms give back the flash-sale units its buyer had claimed.
unpaid_order_released = Signal()
