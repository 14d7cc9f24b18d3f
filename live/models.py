"""
Live sales.

A ``LiveSession`` is one livestream sale run by a community host for a
``market.Community`` (optionally featuring a ``market.Village``). Viewers chat
in its room; each accepted ``ChatMessage`` is stored before it is broadcast.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


# The auth group of community hosts (社区主理人), who schedule and run live sessions.
HOSTS_GROUP = "社区主理人"


def new_stream_key():
    return secrets.token_urlsafe(24)


class LiveSessionQuerySet(models.QuerySet):
    def upcoming_and_live(self):
        """Live sessions first, then scheduled ones by start time."""
        return (
            self.filter(status__in=[LiveSession.Status.LIVE, LiveSession.Status.SCHEDULED])
            .annotate(
                live_first=Case(
                    When(status=LiveSession.Status.LIVE, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("live_first", "scheduled_start")
        )


class LiveSession(models.Model):
    """One live sale (直播场次), hosted by a community host for a community."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("未开播")
        LIVE = "live", _("直播中")
        ENDED = "ended", _("已结束")
        CANCELLED = "cancelled", _("已取消")

    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("简介"), blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hosted_sessions",
        verbose_name=_("主播"),
    )
    community = models.ForeignKey(
        "market.Community", on_delete=models.PROTECT, related_name="live_sessions",
        verbose_name=_("社区"),
    )
    village = models.ForeignKey(
        "market.Village", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="live_sessions", verbose_name=_("帮扶村"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    scheduled_start = models.DateTimeField(_("计划开播时间"))
    started_at = models.DateTimeField(_("开播时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # the encoder dropped out while live: within LIVE_RECONNECT_GRACE_S a new publish resumes the session
    disconnected_at = models.DateTimeField(_("断流时间"), null=True, blank=True)
    stream_key = models.CharField(_("推流密钥"), max_length=64, unique=True, default=new_stream_key)
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="moderated_sessions",
        verbose_name=_("场控"),
    )
    pinned = models.ForeignKey(
        "LineupItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("置顶商品"),
    )
    announcement = models.CharField(_("公告"), max_length=200, blank=True)
    likes = models.PositiveIntegerField(_("点赞数"), default=0)
    cover = models.ImageField(_("封面"), upload_to="live/covers/", blank=True)
    replay = models.FileField(_("回放"), upload_to="live/replays/", blank=True)
    # the replay's pieces as recorded: [[unix start, seconds], ...], joined without their gaps
    replay_pieces = models.JSONField(_("回放分段"), default=list, blank=True)
    subscribers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="live_reminders",
        verbose_name=_("开播提醒"),
    )

    objects = LiveSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("直播场次")
        verbose_name_plural = _("直播场次")
        ordering = ["-scheduled_start"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("live:session", args=[self.pk])

    @property
    def stream_name(self):
        """The public name of the stream (the HLS folder); the secret key never leaves the console."""
        return f"session-{self.pk}"

    @property
    def hls_url(self):
        return f"{settings.LIVE_HLS_URL}{self.stream_name}/index.m3u8"

    @property
    def room_status(self):
        """What the room shows: ``reconnecting`` while a live session waits for its encoder to come back."""
        return "reconnecting" if self.status == self.Status.LIVE and self.disconnected_at else self.status

    def go_live(self):
        """Mark the session live (nginx-rtmp accepted its stream); True if it just went live."""
        now = timezone.now()
        changed = LiveSession.objects.filter(pk=self.pk, status=self.Status.SCHEDULED).update(
            status=self.Status.LIVE, started_at=now
        )
        self.refresh_from_db(fields=["status", "started_at"])
        return bool(changed)

    def end(self):
        LiveSession.objects.filter(pk=self.pk).update(status=self.Status.ENDED, ended_at=timezone.now(), pinned=None,
                                                      disconnected_at=None)
        self.refresh_from_db(fields=["status", "ended_at", "pinned", "disconnected_at"])

    def lose_encoder(self):
        """nginx says the stream stopped: keep the session live, waiting for the encoder; True if it just dropped."""
        changed = LiveSession.objects.filter(pk=self.pk, status=self.Status.LIVE, disconnected_at__isnull=True) \
            .update(disconnected_at=timezone.now())
        self.refresh_from_db(fields=["status", "disconnected_at"])
        return bool(changed)

    def resume(self):
        """The encoder is back within the grace: the same session carries on; True if it was waiting."""
        changed = LiveSession.objects.filter(pk=self.pk, status=self.Status.LIVE, disconnected_at__isnull=False) \
            .update(disconnected_at=None)
        self.refresh_from_db(fields=["status", "disconnected_at"])
        return bool(changed)

    def regenerate_stream_key(self):
        self.stream_key = new_stream_key()
        self.save(update_fields=["stream_key"])


class PriceStatus(models.TextChoices):
    APPROVED = "approved", _("可用")
    PENDING = "pending", _("待第一书记批准")
    REFUSED = "refused", _("第一书记未批准")


class LineupItem(models.Model):
    """A product in a session's lineup (带货清单), in order, with an optional live-only price.

    A live price below the product's village floor (``market.Village.price_floor_percent``
    of the shop price) waits for the village's first secretary (``price_status``).
    """

    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="lineup", verbose_name=_("直播场次"),
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("商品"),
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    live_price = models.DecimalField(_("直播价"), max_digits=10, decimal_places=2, null=True, blank=True)
    # A live price below the village's floor applies only once its first secretary approves it.
    price_status = models.CharField(_("直播价审批"), max_length=16, choices=PriceStatus.choices,
                                    default=PriceStatus.APPROVED)
    approved_price = models.DecimalField(_("已批准的最低价"), max_digits=10, decimal_places=2, null=True, blank=True)
    price_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                         blank=True, related_name="+", verbose_name=_("审批人"))

    class Meta:
        verbose_name = _("直播商品")
        verbose_name_plural = _("直播商品")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "product"], name="unique_lineup_product")]

    def __str__(self):
        return str(self.product)

    def save(self, *args, **kwargs):
        from .pricing import review_lineup_price

        review_lineup_price(self)
        super().save(*args, **kwargs)

    @property
    def effective_live_price(self):
        """The live price buyers get: None while it waits for (or was refused) approval."""
        return self.live_price if self.price_status == PriceStatus.APPROVED else None


class Mute(models.Model):
    """A user silenced in one session's chat until a moment."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField(_("禁言至"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("禁言")
        verbose_name_plural = _("禁言")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="unique_session_mute")]


class ChatMessage(models.Model):
    """One chat message in a session's room; hidden ones stay stored but are not shown."""

    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="chat_messages",
        verbose_name=_("直播场次"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_chat_messages",
        verbose_name=_("用户"),
    )
    text = models.CharField(_("内容"), max_length=200)
    client_id = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(_("发送时间"), auto_now_add=True)
    is_hidden = models.BooleanField(_("已隐藏"), default=False)

    class Meta:
        verbose_name = _("聊天消息")
        verbose_name_plural = _("聊天消息")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["session", "is_hidden", "id"]),
            models.Index(fields=["user", "created"]),
        ]

    def __str__(self):
        return self.text[:30]


class FlashSale(models.Model):
    """A live-only price (限时秒杀) for one lineup product, with its own stock quota and per-user limit."""

    class EndReason(models.TextChoices):
        SOLD_OUT = "sold_out", _("已抢光")
        EXPIRED = "expired", _("已到时")
        STOPPED = "stopped", _("主播已停止")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="flash_sales")
    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("商品"))
    price = models.DecimalField(_("秒杀价"), max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField(_("数量"))
    per_user_limit = models.PositiveIntegerField(_("每人限购"))
    sold = models.PositiveIntegerField(_("已抢"), default=0)
    started_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)

    class Meta:
        verbose_name = _("限时秒杀")
        verbose_name_plural = _("限时秒杀")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.product} ¥{self.price}"

    @property
    def remaining(self):
        return self.quantity - self.sold

    def is_open(self, now):
        """New buyers may still claim a unit."""
        return self.ended_at is None and now < self.ends_at and self.remaining > 0

    def holds_price(self, now):
        """Claimed units keep the flash price while the sale runs: until it expires or the host stops it."""
        return now < self.ends_at and self.end_reason in ("", self.EndReason.SOLD_OUT)


class LivePurchase(models.Model):
    """A 立即购买 in a live room: the product went into the buyer's basket at this live price."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="purchases")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="+")
    flash = models.ForeignKey(FlashSale, on_delete=models.CASCADE, null=True, blank=True, related_name="purchases")
    price = models.DecimalField(max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    order = models.ForeignKey("order.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("直播下单")
        verbose_name_plural = _("直播下单")
        indexes = [models.Index(fields=["user", "product", "order"])]


class RoomEvent(models.Model):
    """What the room showed that is not kept elsewhere (pins and announcements), for the replay.

    Chat, flash sales and orders have their own rows with their own times.
    """

    class Kind(models.TextChoices):
        PIN = "pin", _("置顶商品")
        UNPIN = "unpin", _("取消置顶")
        ANNOUNCE = "announce", _("公告")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="room_events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    text = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("直播间记录")
        verbose_name_plural = _("直播间记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["session", "at"])]
