"""
The live room's half of the permission matrix (tests/test_permissions.py has the URLs):
every client action of the protocol × every role, with the answer each role gets.
"""

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from live.models import HOSTS_GROUP, ChatMessage
from market.models import Community

from .test_live_room import connect, next_event

OK = "ok"
ROLES = ["anonymous", "resident", "host", "host_2", "moderator", "operator"]


def answers(default, anonymous="login_required", **roles):
    return {role: roles.get(role, default) for role in ROLES} | {"anonymous": anonymous}


HOST_OR_MODERATOR = answers("not_allowed", host=OK, moderator=OK, operator=OK)
HOST_ONLY = answers("not_allowed", host=OK, operator=OK)

# (frame, expected answer per role); {product}, {message}, {viewer} are filled in from the stage
ACTIONS = [
    ({"type": "ping"}, answers(OK, anonymous=OK)),
    ({"type": "chat", "text": "你好"}, answers(OK)),
    ({"type": "like", "count": 1}, answers(OK)),
    ({"type": "pin", "product_id": "{product}"}, HOST_OR_MODERATOR),
    ({"type": "unpin"}, HOST_OR_MODERATOR),
    ({"type": "hide", "message_id": "{message}"}, HOST_OR_MODERATOR),
    ({"type": "mute", "user_id": "{viewer}", "minutes": 1}, HOST_OR_MODERATOR),
    ({"type": "announce", "text": "满 99 元包邮"}, HOST_ONLY),
    ({"type": "flash.start", "product_id": "{product}", "price": "39.90", "quantity": 3, "per_user_limit": 1,
      "duration_s": 60}, HOST_ONLY),
    ({"type": "flash.stop"}, HOST_ONLY),
    ({"type": "buy", "product_id": "{product}", "quantity": 1}, answers(OK)),
]


@pytest.fixture
def cast(stage):
    """The stage's host, moderator and viewer, plus a host of another community and an operator."""
    User = get_user_model()
    other = User.objects.create_user("other_host", password="pw-123456")
    Group.objects.get_or_create(name=HOSTS_GROUP)[0].user_set.add(other)
    Community.objects.create(name="别的社区", slug="other-community").hosts.add(other)
    operator = User.objects.create_user("operator", password="pw-123456", is_staff=True)
    resident = User.objects.create_user("matrix_resident", password="pw-123456")
    message = ChatMessage.objects.create(session=stage["session"], user=stage["viewer"], text="要隐藏的")
    users = {"anonymous": None, "resident": resident, "host": stage["host"], "host_2": other,
             "moderator": stage["moderator"], "operator": operator}
    values = {"product": stage["honey"].pk, "message": message.pk, "viewer": stage["viewer"].pk}
    return stage, users, values


def fill(frame, values):
    return {key: values[value[1:-1]] if isinstance(value, str) and value.startswith("{") else value
            for key, value in frame.items()}


async def answer_to(socket, frame):
    """Send a frame, then a ping: an ``error`` before the ``pong`` is the refusal, else it was done."""
    await socket.send_json_to(frame)
    if frame["type"] != "ping":
        await socket.send_json_to({"type": "ping"})
    answer = OK
    while True:  # up to this frame's pong, so the next frame starts clean
        event = await next_event(socket)
        if event["type"] == "error" and answer == OK:
            answer = event["code"]
        if event["type"] == "pong":
            return answer


@pytest.mark.parametrize("role", ROLES)
async def test_every_room_action_answers_each_role_as_the_table_says(cast, role):
    stage, users, values = cast
    socket, connected, _ = await connect(stage["session"].pk, user=users[role])
    assert connected
    assert (await next_event(socket))["type"] == "hello"
    wrong = []
    for frame, expected in ACTIONS:
        got = await answer_to(socket, fill(frame, values))
        if got != expected[role]:
            wrong.append(f"{frame['type']}: {got}, expected {expected[role]}")
    await socket.disconnect()
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_the_table_covers_every_client_action_of_the_consumer():
    from live.consumers import LiveRoomConsumer

    handled = {name[3:].replace("_", ".") for name in dir(LiveRoomConsumer) if name.startswith("on_")}
    assert handled == {frame["type"] for frame, _ in ACTIONS}, "add the new action to ACTIONS"
