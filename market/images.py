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


PHOTO_MAX_SIDE = 1600


def photo_name(extension="jpg"):
    """A stored photo's file name that nobody can guess (a product under review must not be found by
    trying names like ``sangzidian-review-pending.jpg``)."""
    import secrets

    return f"{secrets.token_urlsafe(18)}.{extension}"


def resized_photo(upload):
    """A phone photo made fit for the shop: turned upright, at most PHOTO_MAX_SIDE px, JPEG, without any
    metadata segment (EXIF can carry the place it was taken, comments and XMP whatever the camera or an
    editor wrote). Returns (an unguessable file name, ContentFile)."""
    import io

    from django.core.files.base import ContentFile
    from PIL import ImageOps

    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        image.info = {}  # Pillow writes a JPEG's comment, ICC profile and XMP back from here
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=85, optimize=True)
    return photo_name(), ContentFile(buffer.getvalue())


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class CheckedPhotosField(CheckedImageField):
    """Several photos at once (from the phone's camera or album), each checked like any upload."""

    def __init__(self, *args, max_files=6, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        if len(files) > self.max_files:
            raise ValidationError(_("一次最多上传 %(n)d 张照片") % {"n": self.max_files})
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(CheckedPhotosField, self).clean(upload, initial) for upload in files]
