"""
Which pages may open a live room's WebSocket: this site's own.

Channels' AllowedHostsOriginValidator compares only the host, so
``http://127.0.0.1:9999`` passed for a site on :8000, and ``https://`` for one
on ``http://``. Here the Origin must equal, scheme, host and port, the origin
the socket was opened on (its Host header, on an allowed host), SITE_URL's, or
one in CSRF_TRUSTED_ORIGINS. Behind a TLS proxy, Uvicorn's ``--proxy-headers``
makes the scope's scheme ``wss``.
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise(origin):
    """scheme://host:port with the port spelled out, or None for a malformed origin."""
    try:
        parts = urlsplit(origin.strip().lower())
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/"):
        return None
    return f"{parts.scheme}://{parts.hostname}:{port}"


def allowed_origins(scope, headers):
    allowed = {normalise(settings.SITE_URL), *(normalise(o) for o in settings.CSRF_TRUSTED_ORIGINS)}
    host = headers.get(b"host", b"").decode("latin-1")
    domain, _port = split_domain_port(host)
    if host and validate_host(domain, settings.ALLOWED_HOSTS):
        scheme = "https" if scope.get("scheme") in ("wss", "https") else "http"
        allowed.add(normalise(f"{scheme}://{host}"))
    allowed.discard(None)
    return allowed


class SameOriginValidator:
    """ASGI middleware: refuse (HTTP 403) a WebSocket whose Origin is not this site's own."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            headers = dict(scope.get("headers", []))
            origin = normalise(headers.get(b"origin", b"").decode("latin-1"))
            if origin is None or origin not in allowed_origins(scope, headers):
                return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
