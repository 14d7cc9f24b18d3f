default_app_config = 'market.dashboard.orders.apps.OrdersDashboardConfig'
