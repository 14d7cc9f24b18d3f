import re

from django import forms
from django.utils.translation import gettext_lazy as _

PAY_AT_PICKUP = "pay-at-pickup"
MOBILE = re.compile(r"^1[3-9]\d{9}$")


class PaymentMethodForm(forms.Form):
    """How the resident will pay for the order."""

    method = forms.ChoiceField(
        label=_("付款方式"),
        choices=[(PAY_AT_PICKUP, _("到店付款（自提或收货时付款）"))],
        initial=PAY_AT_PICKUP,
        widget=forms.RadioSelect,
    )


def mainland_mobile(value):
    """A mainland China mobile number (11 digits starting 13–19), with or without +86 and spaces."""
    digits = re.sub(r"[\s-]", "", value or "")
    digits = digits.removeprefix("+86").removeprefix("0086")
    if not MOBILE.match(digits):
        raise forms.ValidationError(_("请填写 11 位手机号，例如 13800138000"), code="mobile")
    return digits


class DeliveryForm(forms.Form):
    """社区自提 (name and mobile, nothing else) or 邮政配送 (an address follows)."""

    method = forms.ChoiceField(label=_("收货方式"), widget=forms.RadioSelect)
    name = forms.CharField(label=_("取货人姓名"), max_length=30, required=False)
    mobile = forms.CharField(label=_("手机号"), max_length=20, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        from market.shipping.repository import Pickup, PostalDelivery

        self.points = {Pickup(point).code: point for point in points}
        self.fields["method"].choices = [(code, point) for code, point in self.points.items()] + [
            (PostalDelivery.code, _("邮政配送到家"))]

    @property
    def point(self):
        return self.points.get(self.cleaned_data.get("method"))

    def clean(self):
        data = super().clean()
        if data.get("method") in self.points:
            if not (data.get("name") or "").strip():
                self.add_error("name", _("请填写取货人姓名"))
            try:
                data["mobile"] = mainland_mobile(data.get("mobile"))
            except forms.ValidationError as error:
                self.add_error("mobile", error)
        return data
