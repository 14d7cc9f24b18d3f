"""A resident buys village produce and pays at pickup, through Oscar's real checkout views."""

import pytest
from oscar.core.loading import get_model

from market.models import PickupPoint

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")


def checkout_to_preview(client, product, pickup):
    """Basket, then 收货方式 (pickup: name and mobile only), then the preview: the two checkout pages."""
    response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 2})
    assert response.status_code == 302
    response = client.get("/shop/checkout/", follow=True)
    assert response.request["PATH_INFO"] == "/shop/checkout/delivery/"
    html = response.content.decode()
    assert f"pickup-{pickup.pk}" in html and "postal" in html
    response = client.post("/shop/checkout/delivery/", {"method": f"pickup-{pickup.pk}", "name": "陈娜",
                                                        "mobile": "13800138000"})
    assert response["Location"] == "/shop/checkout/preview/"
    return client.get("/shop/checkout/preview/")


@pytest.mark.django_db
def test_pay_at_pickup_order_through_checkout_creates_exactly_one_order(resident_client):
    honey = Product.objects.get(title="桑梓土蜂蜜 500g")
    pickup = PickupPoint.objects.get(community__name="朝阳街社区")
    preview = checkout_to_preview(resident_client, honey, pickup)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "¥136.00" in html
    assert "到店付款（自提或收货时付款）" in html and "在线支付" not in html  # no Stripe key: nothing else
    assert "Payment details to go here" not in html

    response = resident_client.post("/shop/checkout/preview/", {"action": "place_order"})
    assert response.status_code == 302 and response["Location"] == "/shop/checkout/thank-you/"
    assert Order.objects.filter(user__username="resident").count() == 1
    order = Order.objects.get(user__username="resident")
    assert order.user.username == "resident"
    assert order.total_incl_tax == 136 and order.currency == "CNY"
    assert order.shipping_code == f"pickup-{pickup.pk}" and pickup.name in order.shipping_method
    assert order.sources.get().source_type.code == "pay-at-pickup"
    assert order.lines.get().stockrecord.partner.village.name == "桑梓店村"
    thank_you = resident_client.get("/shop/checkout/thank-you/")
    assert order.number in thank_you.content.decode()

    # Submitting the same preview again places nothing more: the basket is gone.
    resident_client.post("/shop/checkout/preview/", {"action": "place_order"})
    assert Order.objects.filter(user__username="resident").count() == 1


@pytest.mark.django_db
def test_a_payment_method_the_order_cannot_use_is_refused_on_the_preview(resident_client):
    honey = Product.objects.get(title="桑梓土蜂蜜 500g")
    pickup = PickupPoint.objects.first()
    checkout_to_preview(resident_client, honey, pickup)
    for method in ("bitcoin", "stripe"):  # online payment needs a Stripe key, which this site has not
        response = resident_client.post("/shop/checkout/preview/", {"action": "place_order", "method": method})
        html = response.content.decode()
        assert response.status_code == 200
        assert 'class="alert alert-danger"' in html and "这张订单不能用这种付款方式" in html
        assert "¥136.00" in html  # the preview again, basket intact
    assert Order.objects.filter(user__username="resident").count() == 0
    assert resident_client.get("/shop/checkout/payment-method/")["Location"] == "/shop/checkout/preview/"
