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
    """社区自提 (name and mobile, nothing else) or 邮政配送 (an address follows).

    A community worker also chooses whom the order is for: themselves, or a resident
    (代下单: pickup at the worker's community only, the resident's mobile required).
    """

    SELF, RESIDENT = "self", "resident"
    for_whom = forms.ChoiceField(label=_("这单给谁"), widget=forms.RadioSelect, required=False,
                                 choices=[(SELF, _("我自己买")), (RESIDENT, _("替居民代下单"))])
    method = forms.ChoiceField(label=_("收货方式"), widget=forms.RadioSelect,
                               error_messages={"required": _("请选择收货方式")})
    name = forms.CharField(label=_("取货人姓名"), max_length=30, required=False)
    mobile = forms.CharField(label=_("手机号"), max_length=20, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))

    def __init__(self, *args, points, assist_points=None, **kwargs):
        super().__init__(*args, **kwargs)
        from market.shipping.repository import Pickup, PostalDelivery

        self.points = {Pickup(point).code: point for point in points}
        self.assist_points = {Pickup(point).code: point for point in assist_points or []}
        self.fields["method"].choices = [(code, point) for code, point in self.points.items()] + [
            (PostalDelivery.code, _("邮政配送到家"))]
        if not self.assist_points:
            del self.fields["for_whom"]
        else:
            self.fields["name"].help_text = _("代下单时填居民的姓名；社区登记过的居民可以不填，按手机号自动带出")

    @property
    def assisting(self):
        return self.cleaned_data.get("for_whom") == self.RESIDENT

    @property
    def point(self):
        return self.points.get(self.cleaned_data.get("method"))

    def clean(self):
        data = super().clean()
        if self.assist_points and data.get("for_whom") == self.RESIDENT:
            return self.clean_assisted(data)
        if data.get("method") in self.points:
            if not (data.get("name") or "").strip():
                self.add_error("name", _("请填写取货人姓名"))
            try:
                data["mobile"] = mainland_mobile(data.get("mobile"))
            except forms.ValidationError as error:
                self.add_error("mobile", error)
        return data

    def clean_assisted(self, data):
        """代下单: pickup at the worker's community; the resident's mobile, and their name unless
        the number belongs to a resident of that community (whose name is filled in)."""
        from market.assist.services import resident_by_mobile, resident_name

        if data.get("method") and data["method"] not in self.assist_points:
            self.add_error("method", _("代下单只能选你所在社区的自提点"))
        try:
            data["mobile"] = mainland_mobile(data.get("mobile"))
        except forms.ValidationError as error:
            self.add_error("mobile", error)
            return data
        self.resident = resident_by_mobile(data["mobile"])
        point = self.assist_points.get(data.get("method"))
        if not (data.get("name") or "").strip():
            if self.resident and point and self.resident.community_id == point.community_id and resident_name(self.resident):
                data["name"] = resident_name(self.resident)
            else:
                self.add_error("name", _("请填写居民的姓名"))
        return data
