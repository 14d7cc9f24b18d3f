import os
import tempfile

import pytest
from django.conf import settings
from django.core.management import call_command

# Keep the tests' uploads and search index out of the developer's own.
_scratch = tempfile.mkdtemp(prefix="gongfu-tests-")
settings.MEDIA_ROOT = os.path.join(_scratch, "media")
settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = os.path.join(_scratch, "whoosh")

DEMO_PASSWORD = "gongfu2026"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo data, loaded once into the test database, as a new user gets it from make run."""
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)


def login_client(client, username):
    assert client.login(username=username, password=DEMO_PASSWORD), f"demo user {username} cannot log in"
    return client


@pytest.fixture
def resident_client(client, db):
    return login_client(client, "resident")
