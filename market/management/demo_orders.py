"""The demo's orders, through Oscar's own order creator, taken to every status the site knows."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_model

from market.models import OrderDelivery, PickupPoint

from .demo_data import AT_PICKUP, CANCELLED, COLLECTED, DEMO_ORDERS, MOBILES

Product = get_model("catalogue", "Product")
Country = get_model("address", "Country")


def seed_orders(make_user):
    """A few pickup orders through Oscar's own order creator (so each gets its delivery and code)."""
    from oscar.core.loading import get_class

    from market.checkout.forms import PAY_AT_PICKUP
    from market.shipping.repository import Pickup

    if OrderDelivery.objects.exists():
        return
    Basket = get_model("basket", "Basket")
    ShippingAddress = get_model("order", "ShippingAddress")
    Source = get_model("payment", "Source")
    SourceType = get_model("payment", "SourceType")
    OrderCreator = get_class("order.utils", "OrderCreator")
    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
    Selector = get_class("partner.strategy", "Selector")
    pay_at_pickup, _ = SourceType.objects.get_or_create(code=PAY_AT_PICKUP, defaults={"name": "到店付款"})
    tomorrow = timezone.localdate() + timedelta(days=1)
    for n, (username, name, community, items, status, placed_by) in enumerate(DEMO_ORDERS):
        user = make_user(username, *name)
        point = PickupPoint.objects.filter(community__slug=community).first()
        basket = Basket.objects.create(owner=user)
        basket.strategy = Selector().strategy(user=user)
        for sku, quantity in items:
            basket.add_product(Product.objects.get(stockrecords__partner_sku=sku), quantity)
        method = Pickup(point)
        charge = method.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)
        address = ShippingAddress.objects.create(
            first_name="".join(name), line1=point.address,
            phone_number="+86" + MOBILES.get(username, f"139{n:08d}"),
            country=Country.objects.get(iso_3166_1_a2="CN"))
        order = OrderCreator().place_order(basket=basket, total=total, shipping_method=method,
                                           shipping_charge=charge, user=user, shipping_address=address)
        basket.submit()
        source = Source.objects.create(order=order, source_type=pay_at_pickup, currency=total.currency,
                                       amount_allocated=total.incl_tax, reference=order.number)
        move_order(order, status, source, tomorrow, placed_by)

def move_order(order, status, source, tomorrow, placed_by):
    """Take a demo order to its status the way the site would (cancelled ones give their stock back)."""
    from market.orders import cancel

    delivered = status in (AT_PICKUP, COLLECTED)
    if delivered:  # placed the day before yesterday, brought to the point yesterday
        type(order).objects.filter(pk=order.pk).update(date_placed=timezone.now() - timedelta(days=2))
    OrderDelivery.objects.filter(order=order).update(
        deliver_on=timezone.localdate() - timedelta(days=1) if delivered else tomorrow,
        placed_by=get_user_model().objects.filter(username=placed_by).first() if placed_by else None)
    if status == CANCELLED:
        cancel(order.pk)
    for step in ((settings.ORDER_STATUS_AT_PICKUP,) if status == AT_PICKUP else
                 (settings.ORDER_STATUS_AT_PICKUP, settings.ORDER_STATUS_COLLECTED) if status == COLLECTED else ()):
        for line in order.lines.all():
            line.set_status(step)
        order.set_status(step)
    if status == COLLECTED:
        source.debit(reference="自提点收款")
        OrderDelivery.objects.filter(order=order).update(
            collected_at=timezone.now() - timedelta(hours=3),
            handed_over_by=get_user_model().objects.filter(username="pickup").first())
