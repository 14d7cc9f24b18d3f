"""Encrypting the few values that must pass through the task queue (an SMS code before it is sent)."""

import base64
import hashlib
import json

from cryptography.fernet import Fernet
from django.conf import settings


def _fernet():
    key = hashlib.sha256(("accounts.sealing:" + settings.SECRET_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value):
    return _fernet().encrypt(json.dumps(value).encode()).decode()


def unseal(token):
    return json.loads(_fernet().decrypt(token.encode()))
