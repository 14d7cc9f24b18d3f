"""Who a resident is: one verified mobile per account, and the SMS codes that prove it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VerifiedMobile(models.Model):
    """The mobile number an account proved it receives SMS at. 代下单, 积分登记, reservations and the
    pickup screen find a resident by this number only (never by a number typed at checkout)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="verified_mobile", verbose_name=_("账号"))
    number = models.CharField(_("手机号"), max_length=11, unique=True)
    verified_at = models.DateTimeField(_("验证时间"))
    agreed_at = models.DateTimeField(_("同意用户协议和隐私政策的时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("已验证手机号")
        verbose_name_plural = _("已验证手机号")

    def __str__(self):
        from .mobile import masked

        return masked(self.number)


class SmsCode(models.Model):
    """A 6-digit code sent to a number; only its keyed hash is kept."""

    class Purpose(models.TextChoices):
        LOGIN = "login", _("登录或注册")
        CHANGE = "change", _("更换手机号")

    number = models.CharField(max_length=11, db_index=True)
    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    sent_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+")  # CHANGE: the account asking for the new number

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["number", "purpose", "sent_at"])]


class SendQuota(models.Model):
    """How many codes went to one number, or from one address, on one day (and when the last one went):
    a conditional UPDATE on this row is what keeps many presses at once within the limits."""

    key = models.CharField(max_length=80)
    day = models.DateField()
    sent = models.PositiveSmallIntegerField(default=0)
    last_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "day"], name="one_quota_per_key_and_day")]
