from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "accounts"
urlpatterns = [
    # ahead of Oscar's own registration (which crashed under django-axes and told whether an email was taken)
    path("register/", views.RegisterView.as_view(), name="register"),
    path("register/sent/", views.SentView.as_view(), name="register-sent"),
    path("register/confirm/<str:token>/", views.ConfirmView.as_view(), name="register-confirm"),
    # Oscar's login-or-register page: the site has one login page
    path("login/", RedirectView.as_view(pattern_name="login", query_string=True)),
]
