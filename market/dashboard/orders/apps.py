import oscar.apps.dashboard.orders.apps as apps


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    """Oscar's order dashboard; first secretaries see and act only on their own village's lines.

    Notes, the shipping address and the whole-shop statistics are left to staff
    (Oscar's default ``is_staff``), since they concern every village's lines.
    """

    name = "market.dashboard.orders"

    def configure_permissions(self):
        super().configure_permissions()
        for staff_only in ("order-detail-note", "order-shipping-address", "order-stats"):
            del self.permissions_map[staff_only]
