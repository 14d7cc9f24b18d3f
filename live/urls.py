from django.urls import path

from . import ingest, views

app_name = "live"
urlpatterns = [
    path("", views.LiveSessionListView.as_view(), name="list"),
    path("new/", views.LiveSessionCreateView.as_view(), name="create"),
    path("<int:pk>/", views.LiveSessionDetailView.as_view(), name="session"),
    path("<int:pk>/edit/", views.LiveSessionUpdateView.as_view(), name="edit"),
    path("<int:pk>/console/", views.ConsoleView.as_view(), name="console"),
    path("<int:pk>/key/", views.regenerate_key, name="regenerate_key"),
    path("<int:pk>/end/", views.end, name="end"),
    path("<int:pk>/moderators/", views.moderators, name="moderators"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/buy/", views.buy, name="buy"),
    path("<int:pk>/replay/add/", views.replay_add, name="replay_add"),
    path("prices/", views.PriceApprovalListView.as_view(), name="prices"),
    path("prices/<int:pk>/", views.decide_price, name="decide_price"),
    path("rtmp/publish/", ingest.on_publish, name="rtmp_publish"),
    path("rtmp/publish-done/", ingest.on_publish_done, name="rtmp_publish_done"),
    path("rtmp/record-done/", ingest.on_record_done, name="rtmp_record_done"),
]
