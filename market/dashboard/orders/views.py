"""
Oscar's order dashboard, scoped for first secretaries.

Staff see Oscar's views unchanged. A first secretary (a partner user) opens
an order that may also hold other villages' goods: they see only their own
village's lines, the recipient's name and where the goods go (the pickup
point, or the address of a postal order), and they can only change the
status of, or record shipping for, their own lines. Notes, payment events
and order statuses concern the whole order and stay with staff.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from oscar.apps.dashboard.orders.views import *  # noqa: F401,F403
from oscar.apps.dashboard.orders import views as oscar_views

from market.shipping.repository import PostalDelivery


def own_lines(user, order):
    """The lines of an order a user may see: all for staff, their partners' for a secretary."""
    lines = order.lines.all()
    return lines if user.is_staff else lines.filter(partner__users=user).distinct()


class OrderListView(oscar_views.OrderListView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_staff:
            # no bulk order-status change, and a CSV of the village's lines only
            self.actions = ("download_selected_orders",)
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        if self.request.user.is_staff:
            return super().get_template_names()
        return ["market/dashboard/village_order_list.html"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not self.request.user.is_staff:
            ctx["village_orders"] = [(order, own_lines(self.request.user, order)) for order in ctx["orders"]]
        return ctx

    def get_row_values(self, order):
        if self.request.user.is_staff:
            return super().get_row_values(order)
        lines = own_lines(self.request.user, order)
        return {
            "number": order.number,
            "date": oscar_views.format_datetime(order.date_placed, "DATETIME_FORMAT"),
            "num_items": sum(line.quantity for line in lines),
            "value": sum(line.line_price_incl_tax for line in lines),
            "status": order.status,
            "shipping_address_name": recipient_name(order),
        }


def recipient_name(order):
    address = order.shipping_address
    return address.name if address else ""


class OrderDetailView(oscar_views.OrderDetailView):
    staff_line_actions = oscar_views.OrderDetailView.line_actions
    secretary_line_actions = ("change_line_statuses", "create_shipping_event")

    def get_order_lines(self):
        return own_lines(self.request.user, self.object)

    def get_template_names(self):
        if self.request.user.is_staff:
            return super().get_template_names()
        return ["market/dashboard/village_order_detail.html"]

    def handle_order_action(self, request, order, action):
        if not request.user.is_staff:
            return self.reload_page(error=_("整张订单的备注、状态和付款由平台运营人员处理"))
        return super().handle_order_action(request, order, action)

    def handle_line_action(self, request, order, action):
        allowed = self.staff_line_actions if request.user.is_staff else self.secretary_line_actions
        if action not in allowed:
            return self.reload_page(error=_("不能这样操作"))
        if action == "change_line_statuses" and not request.POST.get("new_status", "").strip():
            return self.reload_page(error=_("请选择新的状态"))
        if action == "create_shipping_event" and not request.POST.get("shipping_event_type"):
            return self.reload_page(error=_("请选择发货事件"))
        return super().handle_line_action(request, order, action)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not self.request.user.is_staff:
            order = self.object
            ctx["recipient_name"] = recipient_name(order)
            ctx["is_postal"] = order.shipping_code == PostalDelivery.code
            # the address only for a postal order the village ships itself; a pickup point otherwise
            ctx["delivery_address"] = order.shipping_address if ctx["is_postal"] else None
            ctx["village_total"] = sum(line.line_price_incl_tax for line in ctx["lines"])
        return ctx


class LineDetailView(oscar_views.LineDetailView):
    def get_object(self, queryset=None):
        order = oscar_views.get_order_for_user_or_404(self.request.user, self.kwargs["number"])
        line = own_lines(self.request.user, order).filter(pk=self.kwargs["line_id"]).first()
        if line is None:
            raise Http404
        return line
