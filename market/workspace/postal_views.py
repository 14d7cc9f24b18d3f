"""邮政配送 in the workspace: a first secretary posts the village's lines with a tracking number."""

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
