"""Web Push (VAPID) through pywebpush: the key the browser subscribes with, and one push to one browser."""

import json
from functools import lru_cache

from django.conf import settings
from py_vapid import Vapid
from py_vapid.utils import b64urlencode
from pywebpush import WebPushException, webpush


class Gone(Exception):
    """The push service no longer knows this subscription (the person turned notifications off)."""


class Failed(Exception):
    """The push service could not be reached or refused the push."""


def enabled():
    return bool(settings.WEBPUSH_VAPID_PRIVATE_KEY)


@lru_cache(maxsize=4)
def _vapid(private_key):
    return Vapid.from_string(private_key)


def application_server_key():
    """The public key, as PushManager.subscribe() takes it (base64url, uncompressed point)."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = _vapid(settings.WEBPUSH_VAPID_PRIVATE_KEY).public_key.public_bytes(Encoding.X962,
                                                                             PublicFormat.UncompressedPoint)
    return b64urlencode(raw)


def send(subscription, payload):
    """Deliver one JSON payload ({title, body, url, tag}) to one browser, encrypted for it."""
    try:
        webpush(subscription.info(), json.dumps(payload, ensure_ascii=False),
                vapid_private_key=_vapid(settings.WEBPUSH_VAPID_PRIVATE_KEY),
                vapid_claims={"sub": settings.WEBPUSH_CONTACT}, ttl=settings.WEBPUSH_TTL_S, timeout=10)
    except WebPushException as exc:
        status = getattr(exc.response, "status_code", None)
        if status in (404, 410):
            raise Gone(str(exc)) from exc
        raise Failed(str(exc)) from exc
    except Exception as exc:  # the network (requests' errors), a malformed key in the subscription
        raise Failed(str(exc)) from exc
