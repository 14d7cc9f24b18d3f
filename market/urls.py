from django.urls import path

from . import views

app_name = "market"
urlpatterns = [
    path("silver/", views.SilverCounterView.as_view(), name="silver"),
]
