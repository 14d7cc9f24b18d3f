from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("code/", views.CodeView.as_view(), name="code"),
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("terms/", views.TermsView.as_view(), name="terms"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
]
