"""Addresses the Chinese way, for the address book (我的 → 地址: add and edit) and checkout's 邮政配送:
收货人, 手机号, 省/市/区 from the official list, 详细地址, 配送备注 (Oscar's form is Western: first and last
name, three address lines, postcode, country)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.address import forms as oscar_forms
from oscar.apps.address.forms import *  # noqa: F401,F403  (Oscar's other forms, as forked apps do)

from accounts.mobile import normalise

CHINESE_FIELDS = ["first_name", "phone_number", "state", "line4", "line3", "line1", "notes"]
CHINESE_LABELS = {"first_name": _("收货人"), "phone_number": _("手机号"), "state": _("省"), "line4": _("市"),
                  "line3": _("区/县"), "line1": _("详细地址"), "notes": _("配送备注")}
CHINESE_HELP = {"line1": _("街道、小区、楼号、门牌号"), "notes": _("选填，例如：放门卫室")}


class ChineseAddressMixin:
    """For a ModelForm of an Oscar address with CHINESE_FIELDS: required fields, a mainland mobile, and the
    province → city → district selects (market.regions) checked against each other."""

    phone_number_fields = {}  # a mainland mobile, checked below (not Oscar's country-guessing check)

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

    @property
    def has_regions(self):
        """Whether the province/city/district list is there (the template loads its script then)."""
        from market import regions

        return regions.available()

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


class UserAddressForm(ChineseAddressMixin, oscar_forms.UserAddressForm):
    """我的 → 地址: add or edit an address in the book (always in China)."""

    class Meta(oscar_forms.UserAddressForm.Meta):
        fields = CHINESE_FIELDS
        labels = CHINESE_LABELS
        help_texts = CHINESE_HELP

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.instance.country_id = "CN"
