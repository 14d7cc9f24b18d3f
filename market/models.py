"""
Facts the shop needs that Oscar has no place for.

A ``Village`` is one assisted village; it owns exactly one Oscar ``Partner``,
so its first secretary (a partner user) gets Oscar's partner-scoped dashboard
and its products are the ones with that partner's stock records. A
``Community`` is an urban community whose service centre hosts a
``PickupPoint``; live sessions and Wagtail community pages point at it.
"""

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

    class Meta:
        verbose_name = _("自提点")
        verbose_name_plural = _("自提点")
        ordering = ["community__name", "name"]

    def __str__(self):
        return self.name


class Village(models.Model):
    """An assisted village (帮扶村); one-to-one with the Oscar partner that sells its produce."""

    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.CASCADE, related_name="village",
        verbose_name=_("合作商户"),
    )
    name = models.CharField(_("名称"), max_length=64, unique=True)
    slug = models.SlugField(_("标识"), max_length=64, unique=True)
    location = models.CharField(_("所在地"), max_length=100, blank=True)
    story = models.TextField(_("村庄故事"), blank=True)
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="villages", verbose_name=_("第一书记"),
    )
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
