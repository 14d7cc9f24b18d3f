from django import forms
from django.utils.translation import gettext_lazy as _

from .mobile import MobileField


class CodeForm(forms.Form):
    """手机号 + 短信验证码: logs in, or starts signing up when the number has no account yet."""

    mobile = MobileField(error_messages={"required": _("请填写手机号")})
    code = forms.CharField(label=_("验证码"), max_length=6, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "pattern": "[0-9]*", "placeholder": _("6 位数字")}))

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if code and not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("验证码是 6 位数字"))
        return code


class SignupForm(forms.Form):
    """The little a new resident tells us: their name (family name first) and their community."""

    family_name = forms.CharField(label=_("姓"), max_length=10, error_messages={"required": _("请填写姓")},
                                  widget=forms.TextInput(attrs={"placeholder": _("如：陈")}))
    given_name = forms.CharField(label=_("名"), max_length=20, error_messages={"required": _("请填写名")},
                                 widget=forms.TextInput(attrs={"placeholder": _("如：娜")}))
    community = forms.ModelChoiceField(label=_("所在社区"), queryset=None, empty_label=_("请选择你住的社区"),
                                       help_text=_("到这个社区的自提点取货，也能看到社区的活动"),
                                       error_messages={"required": _("请选择所在社区")})
    agree = forms.BooleanField(error_messages={"required": _("请先阅读并同意用户协议和隐私政策")})

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities

    def clean_family_name(self):
        return self._name("family_name", _("请填写姓"))

    def clean_given_name(self):
        return self._name("given_name", _("请填写名"))

    def _name(self, field, message):
        value = "".join(self.cleaned_data[field].split())
        if not value:
            raise forms.ValidationError(message)
        return value
