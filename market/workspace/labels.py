"""Trace labels (溯源码): a QR of the batch's public trace page, on an A4 sheet of many labels."""

import base64
import io

import qrcode
from django.conf import settings

PER_SHEET = 24  # 3 × 8 labels of 70 × 37 mm on A4


def trace_url(batch):
    """The absolute address the label encodes: SITE_URL, the site's one public address, not the request's."""
    return settings.SITE_URL.rstrip("/") + batch.get_absolute_url()


def qr_data_uri(text):
    """The QR as a PNG data URI (printed sharp; CSP allows data: images)."""
    image = qrcode.make(text, box_size=8, border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
