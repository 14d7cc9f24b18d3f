"""
Operators' forms in Wagtail's admin for the shop's places and people: a
village onboarded with its partner and first-secretary account in one step,
and a community's hosts (who also join the hosts group, which host rights
need).
"""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from accounts.mobile import MobileField
from live.models import HOSTS_GROUP

User = get_user_model()


class VillageForm(WagtailAdminModelForm):
    """A village with its first secretaries: a new village gets its Oscar partner and (new or
    existing) secretary account on save; later edits can add another secretary or remove one."""

    secretary_username = forms.CharField(
        label=_("第一书记用户名"), max_length=150, required=False,
        help_text=_("已有账号填用户名即可；新账号还要填下面的姓名和初始密码"))
    secretary_name = forms.CharField(label=_("第一书记姓名"), max_length=60, required=False)
    secretary_email = forms.EmailField(label=_("第一书记邮箱"), required=False)
    secretary_password = forms.CharField(label=_("初始密码"), required=False,
                                         widget=forms.PasswordInput(render_value=False),
                                         help_text=_("新账号才需要，请当面告诉本人并提醒修改"))
    remove_secretaries = forms.ModelMultipleChoiceField(
        label=_("不再担任第一书记"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["remove_secretaries"].queryset = self.instance.partner.users.all()
        else:
            self.fields["secretary_username"].required = True

    def clean(self):
        data = super().clean()
        username = (data.get("secretary_username") or "").strip()
        self.existing_user = User.objects.filter(username=username).first() if username else None
        if username and self.existing_user is None:
            if not data.get("secretary_name"):
                self.add_error("secretary_name", _("新账号请填写姓名"))
            password = data.get("secretary_password")
            if not password:
                self.add_error("secretary_password", _("新账号请设置初始密码"))
            else:
                try:
                    validate_password(password, User(username=username))
                except forms.ValidationError as error:
                    self.add_error("secretary_password", error)
        return data

    @transaction.atomic
    def save(self, commit=True):
        from oscar.core.loading import get_model

        Partner = get_model("partner", "Partner")
        village = super().save(commit=False)
        if not village.partner_id:
            village.partner = Partner.objects.create(code=village.slug, name=village.name)
        elif village.partner.name != village.name:
            village.partner.name = village.name
            village.partner.save(update_fields=["name"])
        village.save()
        username = (self.cleaned_data.get("secretary_username") or "").strip()
        if username:
            user = self.existing_user
            if user is None:
                user = User(username=username, first_name=self.cleaned_data["secretary_name"],
                            email=self.cleaned_data.get("secretary_email") or "")
                user.set_password(self.cleaned_data["secretary_password"])
                user.save()
            village.partner.users.add(user)
        for user in self.cleaned_data.get("remove_secretaries") or []:
            village.partner.users.remove(user)
        return village


class CommunityForm(WagtailAdminModelForm):
    """A community; the users named as its hosts are put in the hosts group (社区主理人)."""

    @transaction.atomic
    def save(self, commit=True):
        from django.contrib.auth.models import Group

        community = super().save(commit=commit)
        if commit:
            Group.objects.get_or_create(name=HOSTS_GROUP)[0].user_set.add(*community.hosts.all())
        return community


class ReservationForm(forms.Form):
    """A resident's reservation at an event: who comes, a number to reach them, how many."""

    name = forms.CharField(label=_("姓名"), max_length=30)
    mobile = MobileField()
    places = forms.TypedChoiceField(label=_("人数"), coerce=int)
    waitlist = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].choices = [(n, _("%(n)s 位") % {"n": n}) for n in range(1, event.max_places + 1)]
        for field in self.visible_fields():
            field.field.widget.attrs.setdefault("class", "form-control")


class VolunteerRequestForm(forms.Form):
    """A resident asks to join a volunteer team."""

    name = forms.CharField(label=_("姓名"), max_length=30)
    mobile = MobileField()
    note = forms.CharField(label=_("想说的话"), max_length=200, required=False)


class PointsForm(forms.Form):
    """Community staff record a resident's volunteer hours, or correct their points with a counter-entry."""

    VOLUNTEER, CORRECTION = "volunteer", "correction"
    kind = forms.ChoiceField(label=_("记什么"), widget=forms.RadioSelect, initial=VOLUNTEER,
                             choices=[(VOLUNTEER, _("志愿服务时长")), (CORRECTION, _("更正积分（加或减）"))])
    mobile = MobileField(label=_("居民手机号"), help_text=_("居民在本站验证过的手机号"))
    hours = forms.DecimalField(label=_("服务时长（小时）"), required=False, min_value=Decimal("0.5"),
                               max_value=24, decimal_places=1,
                               error_messages={"min_value": _("服务时长至少 0.5 小时"),
                                               "max_value": _("一次最多记 24 小时"),
                                               "max_decimal_places": _("时长精确到 0.5 小时即可")})
    amount = forms.IntegerField(label=_("更正多少积分（减少填负数）"), required=False,
                                min_value=-100000, max_value=100000)
    note = forms.CharField(label=_("说明"), max_length=120, required=False,
                           help_text=_("例如：敬老院探访、更正原因"))

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.communities = communities
        for name in ("mobile", "hours", "amount", "note"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")

    def clean_mobile(self):
        from market.models import Resident

        digits = self.cleaned_data["mobile"]
        # by the verified mobile only: a number someone typed at checkout never receives points
        found = (Resident.objects.filter(user__verified_mobile__number=digits, community__in=self.communities)
                 .select_related("user", "community").first())
        if found is None:
            raise forms.ValidationError(_("本社区没有用这个手机号验证过的居民，请核对"), code="unknown")
        self.resident = found
        return digits

    def clean(self):
        data = super().clean()
        if data.get("kind") == self.VOLUNTEER and not data.get("hours") and "hours" not in self.errors:
            self.add_error("hours", _("请填写服务时长"))
        if data.get("kind") == self.CORRECTION:
            if not data.get("amount"):
                self.add_error("amount", _("请填写要加或减的积分"))
            if not (data.get("note") or "").strip():
                self.add_error("note", _("更正请写明原因"))
        return data
