from django.urls import path

from . import points_views

app_name = "points"

urlpatterns = [
    path("", points_views.MyPointsView.as_view(), name="mine"),
    path("staff/", points_views.StaffPointsView.as_view(), name="staff"),
]
