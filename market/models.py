"""
Facts the shop needs that Oscar has no place for.

A ``Village`` is one assisted village; it owns exactly one Oscar ``Partner``,
so its first secretary (a partner user) gets Oscar's partner-scoped dashboard
and its products are the ones with that partner's stock records. A
``Community`` is an urban community whose service centre hosts a
``PickupPoint``; live sessions and Wagtail community pages point at it.

A village's products carry their origin (``ProductOrigin``), their harvests
(``Batch``, each with a 溯源码) and their review by the operators
(``Listing``); an order's way to its buyer (pickup point, delivery day,
pickup code) is its ``OrderDelivery``. These sit beside Oscar's models,
one-to-one, rather than in forked ones.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Community(models.Model):
    """An urban community (社区); home of pickup points, hosts and events."""

    name = models.CharField(_("名称"), max_length=64, unique=True)
    slug = models.SlugField(_("标识"), max_length=64, unique=True)
    street = models.CharField(_("所属街道"), max_length=64, blank=True)
    district = models.CharField(_("所属区"), max_length=64, blank=True)
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="hosted_communities",
        verbose_name=_("社区主理人"), help_text=_("可以为本社区安排直播的主理人"),
    )
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="worker_communities",
        verbose_name=_("社区工作者"), help_text=_("可以替本社区居民代下单的工作人员和志愿者"),
    )

    class Meta:
        verbose_name = _("社区")
        verbose_name_plural = _("社区")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PickupPoint(models.Model):
    """A pickup point (自提点) at a community service centre; a shipping choice."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="pickup_points",
        verbose_name=_("社区"),
    )
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="pickup_points", verbose_name=_("自提点工作人员"),
        help_text=_("在 /pickup/ 查看到货订单、凭取货码交付的人"),
    )

    class Meta:
        verbose_name = _("自提点")
        verbose_name_plural = _("自提点")
        ordering = ["community__name", "name"]

    def __str__(self):
        return self.name


class Resident(models.Model):
    """What the shop knows of a resident beyond their account: their community (its pickup point
    is chosen for them at checkout) and their mobile number."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resident", verbose_name=_("账号"),
    )
    community = models.ForeignKey(
        Community, on_delete=models.SET_NULL, null=True, blank=True, related_name="residents",
        verbose_name=_("所在社区"),
    )
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")

    def __str__(self):
        return str(self.user)


class Village(models.Model):
    """An assisted village (帮扶村); one-to-one with the Oscar partner that sells its produce."""

    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.CASCADE, related_name="village",
        verbose_name=_("合作商户"),
    )
    name = models.CharField(_("名称"), max_length=64, unique=True)
    slug = models.SlugField(_("标识"), max_length=64, unique=True)
    location = models.CharField(_("所在地"), max_length=100, blank=True)
    price_floor_percent = models.PositiveSmallIntegerField(
        _("直播底价（占售价的百分比）"), default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("直播价或秒杀价低于这个比例时，需要第一书记批准"),
    )

    class Meta:
        verbose_name = _("帮扶村")
        verbose_name_plural = _("帮扶村")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def secretaries(self):
        """The village's first secretaries: its partner's active users (the one place this is stored)."""
        return self.partner.users.filter(is_active=True)

    def is_secretary(self, user):
        """A first secretary of this village: one of its partner's users (checked in the database)."""
        return bool(user and user.is_authenticated and self.partner.users.filter(pk=user.pk, is_active=True).exists())

    def products(self):
        """The public products this village sells (through its partner's stock)."""
        from oscar.core.loading import get_model

        Product = get_model("catalogue", "Product")
        return (
            Product.objects.browsable()
            .filter(stockrecords__partner=self.partner)
            .distinct()
        )


class Certification(models.TextChoices):
    NONE = "none", _("无")
    GREEN = "green", _("绿色食品")
    ORGANIC = "organic", _("有机产品")
    GEOGRAPHICAL = "gi", _("地理标志产品")
    OTHER = "other", _("其他认证")


class ProductOrigin(models.Model):
    """Where, how and by whom a village product is grown; one-to-one with Oscar's ``Product``.

    The village itself is not repeated here: it is the product's partner.
    """

    product = models.OneToOneField(
        "catalogue.Product", on_delete=models.CASCADE, related_name="origin", verbose_name=_("商品"),
    )
    producer = models.CharField(_("生产者或合作社"), max_length=100)
    place = models.CharField(_("产地"), max_length=100)
    season = models.CharField(_("产季"), max_length=50, blank=True, help_text=_("例如：每年 5–7 月"))
    pack_size = models.CharField(_("规格"), max_length=50, blank=True, help_text=_("例如：500g/瓶、5斤/箱"))
    shelf_life = models.CharField(_("保质期"), max_length=50)
    storage = models.CharField(_("储存方式"), max_length=100)
    certification = models.CharField(
        _("认证"), max_length=10, choices=Certification.choices, default=Certification.NONE,
    )
    certificate_number = models.CharField(_("证书编号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("产地信息")
        verbose_name_plural = _("产地信息")

    def __str__(self):
        return f"{self.product} · {self.place}"

    @property
    def is_certified(self):
        return self.certification != Certification.NONE


TRACE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I, easy to read off a label


def new_trace_code():
    return "".join(secrets.choice(TRACE_ALPHABET) for _ in range(10))


class Batch(models.Model):
    """One harvest or production run of a product; its trace code (溯源码) is printed on the labels."""

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="batches", verbose_name=_("商品"),
    )
    code = models.CharField(_("溯源码"), max_length=16, unique=True, default=new_trace_code, editable=False)
    harvest_date = models.DateField(_("采收或生产日期"))
    quantity = models.PositiveIntegerField(_("本批数量"), null=True, blank=True)
    created = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # how often buyers opened its trace page (the village's own staff not counted): a label copied onto
    # other goods shows up as a code already looked up many times, long ago
    scans = models.PositiveIntegerField(_("查询次数"), default=0, editable=False)
    first_scanned_at = models.DateTimeField(_("首次查询时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("批次")
        verbose_name_plural = _("批次")
        ordering = ["-harvest_date", "-pk"]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("trace", args=[self.code])


class Listing(models.Model):
    """A village product's review by the operators (上架审核).

    A product the village adds is not public (Oscar's ``is_public``) until an
    operator approves it. Once public, a price change of more than
    ``SHOP_PRICE_REVIEW_PERCENT`` waits here as ``proposed_price`` while the
    old price stays on sale, and a new category as ``proposed_category``. ``reason`` tells the secretary why a submission
    was rejected.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    product = models.OneToOneField(
        "catalogue.Product", on_delete=models.CASCADE, related_name="listing", verbose_name=_("商品"),
    )
    status = models.CharField(_("审核状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_price = models.DecimalField(_("待审核的新价格"), max_digits=12, decimal_places=2, null=True, blank=True)
    # a public product's new shelf waits for review too (it decides, say, how much of it 积分 may pay)
    proposed_category = models.ForeignKey("catalogue.Category", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name=_("待审核的新分类"))
    reason = models.TextField(_("未通过的原因"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("审核人"),
    )

    class Meta:
        verbose_name = _("上架审核")
        verbose_name_plural = _("上架审核")
        ordering = ["submitted_at"]

    def __str__(self):
        return f"{self.product} · {self.get_status_display()}"

    @property
    def is_price_change(self):
        return self.status == self.Status.PENDING and self.proposed_price is not None and self.product.is_public

    @property
    def is_category_change(self):
        return self.status == self.Status.PENDING and self.proposed_category_id is not None and self.product.is_public


class OrderDelivery(models.Model):
    """How one Oscar ``Order`` reaches its buyer: the pickup point (none for postal delivery),
    the day the villages deliver it, and the pickup code the buyer shows at the point."""

    order = models.OneToOneField(
        "order.Order", on_delete=models.CASCADE, related_name="delivery", verbose_name=_("订单"),
    )
    pickup_point = models.ForeignKey(
        PickupPoint, on_delete=models.PROTECT, null=True, blank=True, related_name="deliveries",
        verbose_name=_("自提点"),
    )
    deliver_on = models.DateField(_("送达日期"), db_index=True)
    pickup_code = models.CharField(_("取货码"), max_length=6, blank=True)
    # while the order may still be handed over (not collected, cancelled or refunded): its code is unique at
    # its point among such orders (the constraint below), and free again for a later order once it is not
    code_active = models.BooleanField(_("取货码有效"), default=True, editable=False)
    collected_at = models.DateTimeField(_("取货时间"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("交付人"),
    )
    # 代下单: the community worker who placed the order for the resident (the order's user, if they have an account)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assisted_orders",
        verbose_name=_("代下单人"),
    )

    class Meta:
        verbose_name = _("订单配送")
        verbose_name_plural = _("订单配送")
        constraints = [models.UniqueConstraint(
            fields=["pickup_point", "pickup_code"], condition=models.Q(code_active=True) & ~models.Q(pickup_code=""),
            name="unique_open_pickup_code")]

    def __str__(self):
        return f"{self.order} · {self.deliver_on}"


class FailedAttempt(models.Model):
    """A wrong code typed at a counter (pickup, event check-in), kept a while to slow down guessing
    (``market.throttle``)."""

    scope = models.CharField(max_length=20)
    key = models.CharField(max_length=60)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]
