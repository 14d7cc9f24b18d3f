"""What screen readers meet in the live room and console: a chat log, a flash card that does not
announce its countdown every second, labelled fields."""

import re

import pytest

from live.models import LiveSession

from .conftest import login_client


@pytest.mark.django_db
def test_the_room_and_console_markup_is_kind_to_screen_readers(client):
    session = LiveSession.objects.get(status=LiveSession.Status.LIVE)
    html = client.get(f"/live/{session.pk}/").content.decode()
    assert re.search(r'<div role="log"[^>]*><ol class="chat-list"', html)
    flash = re.search(r'<aside class="flash-card".*?</aside>', html, re.S).group(0)
    assert 'aria-live="polite">' not in flash.split("\n", 1)[0]  # not the whole card
    assert 'data-field="countdown" aria-live="off"' in flash
    console = login_client(client, "host").get(f"/live/{session.pk}/console/").content.decode()
    assert '<label for="announce-text"' in console and 'id="announce-text"' in console
    assert re.search(r'data-action="pin"[^>]*aria-label="置顶 ', console)
