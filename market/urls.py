from django.urls import path

from . import views

app_name = "market"
urlpatterns = [
    path("silver/", views.SilverCounterView.as_view(), name="silver"),
    path("orders/<str:number>/received/", views.ReceivedView.as_view(), name="received"),
    # before Oscar's own route at this path, which changed the account on a GET
    path("accounts/addresses/<int:pk>/<slug:action>/", views.AddressDefaultView.as_view(), name="address-default"),
]
