from django.urls import path

from . import views

app_name = "mine"
urlpatterns = [
    path("", views.MeView.as_view(), name="home"),
    path("orders/", views.OrdersView.as_view(), name="orders"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("settings/mobile/", views.MobileView.as_view(), name="mobile"),
    path("settings/password/", views.PasswordView.as_view(), name="password"),
]
