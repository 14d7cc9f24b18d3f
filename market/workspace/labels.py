"""Trace labels (溯源码): a QR of the batch's public trace page, on an A4 sheet of many labels."""

from django.conf import settings

PER_SHEET = 24  # 3 × 8 labels of 70 × 37 mm on A4


def trace_url(batch):
    """The absolute address the label encodes: SITE_URL, the site's one public address, not the request's."""
    return settings.SITE_URL.rstrip("/") + batch.get_absolute_url()
