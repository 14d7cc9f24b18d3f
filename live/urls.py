from django.urls import path

from . import views

app_name = "live"
urlpatterns = [
    path("", views.LiveSessionListView.as_view(), name="list"),
    path("<int:pk>/", views.LiveSessionDetailView.as_view(), name="session"),
]
