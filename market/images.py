"""
Every image that enters the site (product photos, live covers, category
images) is checked before it is kept: at most IMAGE_UPLOAD_MAX_BYTES and
IMAGE_UPLOAD_MAX_PIXELS, read from the header only, so a small file that
would unpack to gigabytes (an image bomb) is refused with a clear message
instead of being rendered. Wagtail's images use the same limits through its
own settings.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image


def validate_image_upload(upload):
    """Refuse a newly uploaded image that is too large in bytes or in pixels."""
    if not isinstance(upload, UploadedFile):
        return upload  # nothing new: the stored image, or no image
    if upload.size > settings.IMAGE_UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("图片太大（%(size).1f MB），最大 %(limit)d MB，请压缩后再上传")
            % {"size": upload.size / 2**20, "limit": settings.IMAGE_UPLOAD_MAX_BYTES // 2**20},
            code="file_too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            width, height = image.size
    except Image.DecompressionBombError:
        width = height = None
    except Exception:  # noqa: BLE001  (not an image: Django's own check says so in its words)
        return upload
    finally:
        upload.seek(0)
    if width is None or width * height > settings.IMAGE_UPLOAD_MAX_PIXELS:
        raise ValidationError(
            _("图片像素太多，最多 %(limit)d 万像素（例如 6000×6000 以内），请缩小后再上传")
            % {"limit": settings.IMAGE_UPLOAD_MAX_PIXELS // 10_000},
            code="too_many_pixels",
        )
    return upload


class CheckedImageField(forms.ImageField):
    """An image form field that checks bytes and pixels before Django's own Pillow check runs."""

    def to_python(self, data):
        return super().to_python(validate_image_upload(data))
