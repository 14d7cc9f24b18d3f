import oscar.apps.dashboard.apps as apps


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard, for platform staff only. First secretaries have their own workspace
    (market.workspace at /village/), so Oscar's partner-scoped access (``partner.dashboard_access``)
    is switched off here and in the forked catalogue and order dashboards."""

    name = "market.dashboard"

    def configure_permissions(self):
        super().configure_permissions()
        self.permissions_map = {"index": ["is_staff"]}
