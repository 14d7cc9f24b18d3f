import oscar.apps.dashboard.apps as apps


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard, forked so that its forked sub-apps (partners, orders, catalogue) are found."""

    name = "market.dashboard"
