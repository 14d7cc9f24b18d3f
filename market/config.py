import oscar.config
from django.urls import path


class Shop(oscar.config.Shop):
    """Oscar's shop mounted at /shop/; the dashboard gets its own /dashboard/ in config.urls."""

    def get_urls(self):
        from market.views import ShopHomeView

        urls = [u for u in super().get_urls() if getattr(u.pattern, "_route", None) not in ("", "dashboard/")]
        return [path("", ShopHomeView.as_view(), name="home")] + urls
