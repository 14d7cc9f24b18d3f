"""邮政配送 in the workspace: a first secretary posts the village's lines with a tracking number, and
records the money of an order paid on receipt once it has come in."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from market import postal

from .views import SecretaryMixin


class ShippedView(SecretaryMixin, View):
    def post(self, request, number):
        try:
            order = postal.ship(self.partners, number, request.POST.get("tracking_number"))
        except postal.Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("订单 %(number)s 已发货，买家会看到快递单号") % {"number": order.number})
        return redirect("workspace:orders")


class CashView(SecretaryMixin, View):
    """货款已收到: the money for a postal order paid on receipt reached the village."""

    def post(self, request, number):
        try:
            order = postal.record_cash(self.partners, number)
        except postal.Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("订单 %(number)s 的货款已登记") % {"number": order.number})
        return redirect("workspace:orders")
