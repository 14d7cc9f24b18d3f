from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("stripe/webhook/", views.WebhookView.as_view(), name="webhook"),
    path("orders/<str:number>/pay/", views.PayView.as_view(), name="pay"),
]
