"""What was sent (so a notice goes out once however often its task runs) and where a phone takes pushes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """One notice sent: its key (``delivered:<order>:<line>``, ``live:<session>`` …) is unique, and claiming
    it is what lets a task that runs twice send nothing the second time."""

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20)
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("已发通知")
        verbose_name_plural = _("已发通知")

    def __str__(self):
        return self.key


class PushSubscription(models.Model):
    """A browser that agreed to take 手机通知 for an account (the Push API's subscription)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("手机通知订阅")
        verbose_name_plural = _("手机通知订阅")

    def __str__(self):
        return f"{self.user} · {self.endpoint[:40]}"

    def info(self):
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
