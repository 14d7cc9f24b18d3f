"""One rule for mainland China mobile numbers, used everywhere a number is typed.

``normalise`` accepts what people really type (``+86 138 0013 8000``, ``0086-13800138000``,
``138-0013-8000``) and returns the 11 digits, or raises a ValidationError in the user's language.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE = re.compile(r"^1[3-9]\d{9}$")
MESSAGE = _("请填写 11 位手机号，例如 13800138000")


def normalise(value):
    digits = re.sub(r"[\s\-()（）]", "", str(value or ""))
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix):]
            break
    if not MOBILE.match(digits):
        raise ValidationError(MESSAGE, code="mobile")
    return digits


def is_mobile(value):
    try:
        normalise(value)
    except ValidationError:
        return False
    return True


def masked(number):
    """138****8000: enough for the owner to recognise, not enough to call."""
    return f"{number[:3]}****{number[-4:]}" if number and len(number) == 11 else (number or "")


class MobileField(forms.CharField):
    """A form field for a mainland mobile: a phone keypad on phones, the 11 digits in cleaned_data."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("手机号"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel-national", "placeholder": "13800138000"})

    def clean(self, value):
        value = super().clean(value)
        return normalise(value) if value else value
