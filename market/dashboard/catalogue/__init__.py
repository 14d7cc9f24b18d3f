default_app_config = 'market.dashboard.catalogue.apps.CatalogueDashboardConfig'
