"""QR codes as PNG data URIs (printed sharp, shown without another request; CSP allows data: images)."""

import base64
import io

import qrcode


def qr_data_uri(text, box_size=8):
    image = qrcode.make(text, box_size=box_size, border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
