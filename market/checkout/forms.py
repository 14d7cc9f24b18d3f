from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as checkout_forms

from accounts.mobile import normalise
from market.address.forms import CHINESE_FIELDS, CHINESE_HELP, CHINESE_LABELS, ChineseAddressMixin

PAY_AT_PICKUP = "pay-at-pickup"


ONLINE = "stripe"  # Stripe Checkout: card, Alipay, WeChat Pay on Stripe's page
PAYMENT_LABELS = {ONLINE: _("在线支付（微信支付、支付宝、银行卡）"), PAY_AT_PICKUP: _("到店付款（自提或收货时付款）")}


class PaymentMethodForm(forms.Form):
    """How the resident will pay: the methods this order may use, chosen on the preview page."""

    method = forms.ChoiceField(label=_("付款方式"), widget=forms.RadioSelect,
                               error_messages={"required": _("请选择付款方式"),
                                               "invalid_choice": _("这张订单不能用这种付款方式")})

    points = forms.IntegerField(label=_("用积分抵扣"), required=False, min_value=0,
                                error_messages={"invalid": _("积分请填整数"), "min_value": _("积分不能是负数")})

    def __init__(self, *args, methods, max_points=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(method, PAYMENT_LABELS[method]) for method in methods]
        self.max_points = max_points
        self.fields["points"].max_value = max_points
        self.fields["points"].widget.attrs.update(max=max_points, min=0, inputmode="numeric")

    def clean_points(self):
        points = self.cleaned_data.get("points") or 0
        if points > self.max_points:
            raise forms.ValidationError(_("这张订单最多可用 %(n)d 积分") % {"n": self.max_points}, code="max")
        return points




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
                data["mobile"] = normalise(data.get("mobile"))
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
            data["mobile"] = normalise(data.get("mobile"))
        except forms.ValidationError as error:
            self.add_error("mobile", error)
            return data
        point = self.assist_points.get(data.get("method"))
        found = resident_by_mobile(data["mobile"])
        # only a resident of the worker's own community gets the order on their account; any other number
        # makes a guest order in the worker's community, under the name typed
        self.resident = found if found and point and found.community_id == point.community_id else None
        if not (data.get("name") or "").strip():
            if self.resident and resident_name(self.resident):
                data["name"] = resident_name(self.resident)
            else:
                self.add_error("name", _("请填写居民的姓名"))
        return data


class ShippingAddressForm(ChineseAddressMixin, checkout_forms.ShippingAddressForm):
    """邮政配送's address, the Chinese way (market.address.forms)."""

    class Meta(checkout_forms.ShippingAddressForm.Meta):
        fields = CHINESE_FIELDS
        labels = CHINESE_LABELS
        help_texts = CHINESE_HELP
