from django.urls import path

from . import views as pickup

app_name = "pickup"
urlpatterns = [
    path("", pickup.PickupHomeView.as_view(), name="home"),
    path("handover/", pickup.HandOverView.as_view(), name="handover"),
]
