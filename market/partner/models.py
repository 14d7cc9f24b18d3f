from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractStockRecord


class StockRecord(AbstractStockRecord):
    """Oscar's stock record, with a cap on the units one order may take (against hoarding)."""

    max_per_order = models.PositiveSmallIntegerField(
        _("每单限购"), null=True, blank=True,
        help_text=_("一张订单最多能买几件；留空则用全站默认值"),
    )


from oscar.apps.partner.models import *  # noqa: E402,F401,F403
