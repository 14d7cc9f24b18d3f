from django.urls import path

from .consumers import LiveRoomConsumer

websocket_urlpatterns = [
    path("ws/live/<int:session_id>/", LiveRoomConsumer.as_asgi()),
]
