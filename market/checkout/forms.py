from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as checkout_forms

from accounts.mobile import normalise

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


class ShippingAddressForm(checkout_forms.ShippingAddressForm):
    """邮政配送's address the Chinese way: 收货人, 手机号, 省/市/区 from the official list, 详细地址,
    配送备注 (Oscar's is Western: first and last name, three address lines, postcode)."""

    phone_number_fields = {}  # a mainland mobile, checked below (not Oscar's country-guessing check)

    class Meta(checkout_forms.ShippingAddressForm.Meta):
        fields = ["first_name", "phone_number", "state", "line4", "line3", "line1", "notes"]
        labels = {"first_name": _("收货人"), "phone_number": _("手机号"), "state": _("省"), "line4": _("市"),
                  "line3": _("区/县"), "line1": _("详细地址"), "notes": _("配送备注")}
        help_texts = {"line1": _("街道、小区、楼号、门牌号"), "notes": _("选填，例如：放门卫室")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from market import regions

        for name in ("first_name", "phone_number", "state", "line4", "line3", "line1"):
            self.fields[name].required = True
        self.fields["phone_number"] = forms.CharField(
            label=_("手机号"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
        if self.instance.phone_number and not self.is_bound:
            self.initial["phone_number"] = self.instance.phone_number.national_number
        self.fields["notes"].widget = forms.TextInput()
        if regions.available():
            province = self.value_of("state")
            city = self.value_of("line4")
            province_code = regions.code_of(province)
            city_code = regions.code_of(city, province_code) if province_code else None
            self.fields["state"].widget = self.region_select(regions.children(), "province")
            self.fields["line4"].widget = self.region_select(
                regions.children(province_code) if province_code else [], "city")
            self.fields["line3"].widget = self.region_select(
                regions.children(city_code) if city_code else [], "district")

    def value_of(self, name):
        return (self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)) or \
            getattr(self.instance, name, "") or ""

    @staticmethod
    def region_select(choices, level):
        return forms.Select(choices=[("", _("请选择"))] + [(name, name) for _code, name in choices],
                            attrs={"data-region": level})

    def clean_phone_number(self):
        from phonenumber_field.phonenumber import PhoneNumber

        return PhoneNumber.from_string("+86" + normalise(self.cleaned_data.get("phone_number")))

    def clean(self):
        from market import regions

        data = super().clean()
        if regions.available() and data.get("state"):
            province = regions.code_of(data["state"])
            city = regions.code_of(data.get("line4") or "", province) if province else None
            if province is None:
                self.add_error("state", _("请从列表里选择省份"))
            elif data.get("line4") and city is None:
                self.add_error("line4", _("这个城市不在所选省份里，请重新选择"))
            elif city and data.get("line3") and regions.code_of(data["line3"], city) is None:
                self.add_error("line3", _("这个区县不在所选城市里，请重新选择"))
        return data
