from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _


class RegistrationForm(forms.Form):
    """称呼, email and password. Whether the email already has an account is never said here."""

    name = forms.CharField(label=_("称呼"), max_length=30, help_text=_("别人在直播间和订单上看到的名字，例如：陈娜"))
    email = forms.EmailField(label=_("邮箱"), max_length=254)
    password1 = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("再输一次密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("请填写称呼"))
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("两次输入的密码不一样"))
        elif first:
            probe = get_user_model()(email=data.get("email", ""), first_name=data.get("name", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
