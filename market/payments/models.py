"""
What the shop keeps of its payments through Stripe, beside Oscar's own Source,
Transaction and PaymentEvent (which the dashboard shows).

A ``CheckoutAttempt`` is one Stripe Checkout Session for an order: an order
placed for online payment has one, and one more for each "pay again". A
``StripeEvent`` is a webhook delivery already handled (its id is unique, so a
replay is recognised). A ``Refund`` is money sent back for some or all of an
order's lines. A ``PaymentIssue`` is something an operator must look at: a
payment whose amount is wrong, or money that arrived for an order already
released.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckoutAttempt(models.Model):
    """One Stripe Checkout Session (支付) for an order."""

    class Status(models.TextChoices):
        OPEN = "open", _("待支付")
        PROCESSING = "processing", _("支付确认中")
        PAID = "paid", _("已支付")
        FAILED = "failed", _("支付失败")
        EXPIRED = "expired", _("已过期")

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="checkout_attempts",
                              verbose_name=_("订单"))
    # the attempt's number and expiry are fixed before Stripe is asked, so asking again after a lost answer
    # sends the same idempotency key (checkout-<order>-<number>) with the same parameters
    number = models.PositiveSmallIntegerField(_("第几次"), default=1)
    session_id = models.CharField(_("Stripe 会话"), max_length=255, unique=True, null=True, blank=True)
    url = models.URLField(_("支付页面"), max_length=2000, blank=True)
    amount = models.PositiveIntegerField(_("金额（分）"))
    currency = models.CharField(_("币种"), max_length=3)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    payment_intent = models.CharField(max_length=255, blank=True, db_index=True)
    expires_at = models.DateTimeField(_("过期时间"))
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    paid_at = models.DateTimeField(_("支付时间"), null=True, blank=True)
    processing_since = models.DateTimeField(_("开始确认的时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("在线支付")
        verbose_name_plural = _("在线支付")
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["order", "number"], name="unique_attempt_number")]

    def __str__(self):
        return f"{self.order.number} {self.session_id}"


class StripeEvent(models.Model):
    """A Stripe webhook event already handled; its id is unique, so a replay is a no-op."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    order_number = models.CharField(max_length=128, blank=True, db_index=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Stripe 事件")
        verbose_name_plural = _("Stripe 事件")

    def __str__(self):
        return f"{self.type} {self.event_id}"


class Refund(models.Model):
    """Money sent back through Stripe for some lines of a paid order."""

    class Status(models.TextChoices):
        PENDING = "pending", _("退款中")
        SUCCEEDED = "succeeded", _("已退款")
        FAILED = "failed", _("退款失败")

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="refunds", verbose_name=_("订单"))
    attempt = models.ForeignKey(CheckoutAttempt, on_delete=models.PROTECT, related_name="refunds")
    lines = models.ManyToManyField("order.Line", related_name="refunds", blank=True, verbose_name=_("退款的商品"))
    # a whole payment sent back for an operator's issue (paid twice, paid after release): no lines
    issue = models.ForeignKey("PaymentIssue", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="refunds", verbose_name=_("支付异常"))
    amount = models.PositiveIntegerField(_("金额（分）"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    stripe_id = models.CharField(max_length=255, blank=True, db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+", verbose_name=_("操作人"))
    created = models.DateTimeField(_("申请时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("到账确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("退款")
        verbose_name_plural = _("退款")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.order.number} ¥{self.yuan}"

    @property
    def yuan(self):
        from .gateway import yuan

        return yuan(self.amount)


class PaymentIssue(models.Model):
    """A payment an operator must look at: never resolved silently by the site."""

    class Kind(models.TextChoices):
        AMOUNT_MISMATCH = "amount_mismatch", _("金额或币种与订单不符")
        PAID_AFTER_RELEASE = "paid_after_release", _("订单已取消后才收到付款，需要退款")
        PAID_TWICE = "paid_twice", _("同一订单付了两次，需要退款")
        REFUND_FAILED = "refund_failed", _("退款失败")
        REFUND_OUTSIDE = "refund_outside", _("在 Stripe 后台退了款，需要核对")

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="payment_issues",
                              verbose_name=_("订单"))
    kind = models.CharField(_("问题"), max_length=20, choices=Kind.choices)
    detail = models.TextField(_("详情"), blank=True)
    event_id = models.CharField(max_length=255, blank=True)
    # the money concerned, as Stripe has it: which session and payment, and how much (fen)
    attempt = models.ForeignKey(CheckoutAttempt, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="issues", verbose_name=_("在线支付"))
    payment_intent = models.CharField(max_length=255, blank=True)
    amount = models.PositiveIntegerField(_("金额（分）"), null=True, blank=True)
    created = models.DateTimeField(_("发现时间"), auto_now_add=True)
    resolved = models.BooleanField(_("已处理"), default=False)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("处理人"))
    note = models.CharField(_("处理说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("支付异常")
        verbose_name_plural = _("支付异常")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.order.number}: {self.get_kind_display()}"
