"""China's provinces, cities and districts for the postal address form, from the npm package
``china-area-data`` (国家统计局 codes; installed by ``make install``, served to the browser as a
static file). Without it the form asks for them as text."""

import json
from functools import lru_cache

from django.conf import settings

DATA = settings.BASE_DIR / "node_modules" / "china-area-data" / "data.json"
COUNTRY = "86"


@lru_cache(maxsize=1)
def _tree():
    try:
        return json.loads(DATA.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def available():
    return _tree() is not None


def children(code=COUNTRY):
    """[(code, name)] under a code (the country's provinces by default)."""
    return list((_tree() or {}).get(code, {}).items())


def code_of(name, parent=COUNTRY):
    for code, child in children(parent):
        if child == name:
            return code
    return None
