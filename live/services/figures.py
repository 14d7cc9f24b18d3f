"""The host console's live figures."""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Sum
from django.db.models.functions import TruncMinute
from django.utils import timezone
from oscar.core.loading import get_model

from ..models import LivePurchase

OrderLine = get_model("order", "Line")


def figures(session):
    """The console's live figures: orders, units and GMV from the room, by minute too.

    Counted from the order lines customers actually paid for, not from the
    presses of 立即购买 behind them (a buyer may change the quantity at checkout).
    """
    from_room = LivePurchase.objects.filter(
        session=session, order_id=OuterRef("order_id"), product_id=OuterRef("product_id")
    )
    lines = OrderLine.objects.filter(Exists(from_room))
    totals = lines.aggregate(
        orders=Count("order", distinct=True), units=Sum("quantity"), gmv=Sum("line_price_incl_tax"),
    )
    gmv = Decimal(totals["gmv"] or 0)
    per_minute = (
        lines.annotate(minute=TruncMinute("order__date_placed")).values("minute")
        .annotate(units=Sum("quantity")).order_by("minute")
    )
    return {
        "type": "figures",
        "orders": totals["orders"] or 0,
        "units": totals["units"] or 0,
        "gmv": str(gmv.quantize(Decimal("0.01"))),
        "per_minute": [
            {"minute": timezone.localtime(row["minute"]).strftime("%H:%M"), "units": row["units"]}
            for row in per_minute
        ],
    }
