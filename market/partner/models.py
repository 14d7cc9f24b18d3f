from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractStockRecord

STOCK_FIELDS = frozenset({"num_allocated", "num_in_stock"})


class OutOfStock(Exception):
    """An allocation the stock record cannot cover: nothing was allocated. ``available`` is what is left."""

    def __init__(self, record, quantity):
        self.record, self.quantity = record, quantity
        self.available = max(record.net_stock_level, 0)
        super().__init__(sold_out_message(record.product.get_title(), self.available))


def sold_out_message(title, available):
    """What a buyer is told when the units in their basket are no longer there."""
    if available > 0:
        return gettext("「%(title)s」只剩 %(n)d 件了，请把数量改少一点再下单") % {"title": title, "n": available}
    return gettext("「%(title)s」刚刚卖完了，请从购物车删掉它再下单") % {"title": title}


class StockBelowOrders(Exception):
    """A count in stock lower than the units orders already hold."""

    def __init__(self, held):
        super().__init__(gettext("已有 %(n)d 件被还没交付的订单占用，库存不能少于 %(n)d 件") % {"n": held})


class StockRecord(AbstractStockRecord):
    """Oscar's stock record, with a cap on the units one order may take (against hoarding), and
    allocations that never exceed the stock: checked in the UPDATE itself, and by the database."""

    max_per_order = models.PositiveSmallIntegerField(
        _("每单限购"), null=True, blank=True,
        help_text=_("一张订单最多能买几件；留空则用全站默认值"),
    )

    class Meta(AbstractStockRecord.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(num_allocated__isnull=True) | Q(num_allocated__gte=0),
                name="stockrecord_allocated_not_negative"),
            models.CheckConstraint(
                condition=Q(num_allocated__isnull=True) | Q(num_allocated__lte=F("num_in_stock")),
                name="stockrecord_allocated_within_stock"),
        ]

    def allocate(self, quantity):
        """Allocate ``quantity`` units if the stock still holds them, in one conditional UPDATE (so two
        checkouts at once cannot both take the last unit, on any database); OutOfStock if it does not."""
        if not self.can_track_allocations:
            return
        self.pre_save_signal()
        allocated = Coalesce(F("num_allocated"), 0)
        taken = type(self).objects.filter(pk=self.pk, num_in_stock__gte=allocated + quantity).update(
            num_allocated=allocated + quantity)
        self.refresh_from_db(fields=["num_allocated", "num_in_stock"])
        if not taken:
            raise OutOfStock(self, quantity)
        self.post_save_signal()

    allocate.alters_data = True

    def set_stock(self, num_in_stock):
        """A village's new count of units in stock, never below what orders already hold; False if it is."""
        from django.utils import timezone

        changed = type(self).objects.filter(pk=self.pk).filter(
            Q(num_allocated__isnull=True) | Q(num_allocated__lte=num_in_stock)).update(
            num_in_stock=num_in_stock, date_updated=timezone.now())
        self.refresh_from_db(fields=["num_allocated", "num_in_stock", "date_updated"])
        if changed:
            self.post_save_signal()
        return bool(changed)

    def post_save_signal(self):
        """Oscar's stock changes (allocate, consume, cancel) tell receivers only the counts changed."""
        from django.db import router
        from django.db.models import signals

        signals.post_save.send(sender=type(self), instance=self, created=False, raw=False,
                               using=router.db_for_write(type(self), instance=self), update_fields=STOCK_FIELDS)


from oscar.apps.partner.models import *  # noqa: E402,F401,F403
