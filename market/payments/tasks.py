"""Background work of online payment, on django-tasks' database backend (make run starts the worker)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django_tasks import task
from oscar.core.loading import get_class, get_model

from . import services

Dispatcher = get_class("communication.utils", "Dispatcher")
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
    url = reverse("customer:order", args=[order.number])
    subject = _("订单 %(number)s 已支付") % {"number": order.number}
    Dispatcher().notify_user(order.user, subject, body=format_html(
        _("我们已收到你的付款 ¥{amount}，订单开始备货。<a href=\"{url}\">查看订单</a>"),
        amount=services.online_amount(order), url=url))
    if order.user.email:
        send_mail(subject, _("我们已收到你的付款 ¥%(amount)s，订单开始备货。查看订单：") % {"amount": services.online_amount(order)}
                  + settings.SITE_URL.rstrip("/") + url, settings.DEFAULT_FROM_EMAIL, [order.user.email],
                  fail_silently=True)
    return True
