default_app_config = 'market.dashboard.partners.apps.PartnersDashboardConfig'
