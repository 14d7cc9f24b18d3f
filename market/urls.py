from django.urls import path, re_path

from . import views

app_name = "market"
urlpatterns = [
    path("silver/", views.SilverCounterView.as_view(), name="silver"),
    path("orders/<str:number>/received/", views.ReceivedView.as_view(), name="received"),
    # before Oscar's own route at this path, which changed the account on a GET
    # (only that route: addresses/<pk>/delete/ stays Oscar's)
    re_path(r"^accounts/addresses/(?P<pk>\d+)/(?P<action>default_for_(?:billing|shipping))/$",
            views.AddressDefaultView.as_view(), name="address-default"),
]
