from django.urls import path

from . import views

app_name = "assist"
urlpatterns = [
    path("", views.AssistHomeView.as_view(), name="home"),
    path("orders/<str:number>/", views.AssistOrderView.as_view(), name="order"),
]
