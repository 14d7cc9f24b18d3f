import oscar.apps.dashboard.catalogue.apps as apps


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    """Oscar's catalogue dashboard, staff only (its image uploads are checked: forms.py)."""

    name = "market.dashboard.catalogue"

    def configure_permissions(self):
        super().configure_permissions()
        self.permissions_map = {}
