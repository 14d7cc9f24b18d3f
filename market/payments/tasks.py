"""Background work of online payment, on django-tasks' database backend (make run starts the worker)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task
from oscar.core.loading import get_model

from notices.notify import notify

from . import services

Order = get_model("order", "Order")


@task(backend="background")
def release_unpaid_orders():
    """Cancel online orders not paid in time, returning their stock (and live flash units)."""
    return services.release_overdue()


@task(backend="background")
def notify_paid(order_pk):
    """Tell the buyer their payment arrived (site inbox and email)."""
    order = Order.objects.select_related("user").get(pk=order_pk)
    if order.user is None:
        return False
    return bool(notify("paid", f"paid:{order.number}", [order.user], _("订单 %(number)s 已支付") % {"number": order.number},
                       _("我们已收到你的付款 ¥%(amount)s，订单开始备货。") % {"amount": services.online_amount(order)},
                       url=reverse("customer:order", args=[order.number]), link=_("查看订单")))
