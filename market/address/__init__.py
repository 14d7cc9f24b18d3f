default_app_config = 'market.address.apps.AddressConfig'
