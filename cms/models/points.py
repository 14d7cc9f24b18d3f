"""
积分: points for taking part, kept as an append-only ledger. Every change is
an entry with its reason (checked in at an event, volunteer hours, spent on an
order, returned by a cancelled order, a staff correction); the balance is the
sum. Nothing is edited or deleted: a mistake is put right by a counter-entry.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """Ledger entries are never changed or removed."""


class PointsEntry(models.Model):
    class Reason(models.TextChoices):
        EVENT = "event", _("参加活动签到")
        VOLUNTEER = "volunteer", _("志愿服务")
        ORDER = "order", _("购物抵扣")
        RETURNED = "returned", _("订单取消退回")
        CORRECTION = "correction", _("工作人员更正")

    # a deleted account takes its ledger with it; a deleted event or staff account leaves the entries
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points_entries",
                             verbose_name=_("居民"))
    amount = models.IntegerField(_("积分变动"))
    reason = models.CharField(_("原因"), max_length=12, choices=Reason.choices)
    note = models.CharField(_("说明"), max_length=120, blank=True)
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=4, decimal_places=1, null=True, blank=True)
    reservation = models.ForeignKey("cms.Reservation", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="points_entries")
    order_number = models.CharField(_("订单号"), max_length=128, blank=True, db_index=True)
    community = models.ForeignKey("market.Community", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("社区"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("记录人"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False, db_index=True)

    class Meta:
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="points_entry_not_zero"),
            # one entry per check-in, however often the screen is tapped
            models.UniqueConstraint(fields=["reservation"], condition=models.Q(reason="event"),
                                    name="points_once_per_check_in"),
        ]

    def __str__(self):
        return f"{self.user} {self.amount:+d} {self.get_reason_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("a points entry is never changed; add a counter-entry")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("a points entry is never deleted; add a counter-entry")
