"""Flash sales: their own price and stock, opened and stopped by the host, claimed by buyers
with the sale's row locked."""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import pricing
from ..models import FlashSale, LineupItem, LivePurchase, LiveSession
from .base import RoomError, require_host, whole_number


def price_value(value):
    """A price from a frame: a decimal string (or whole number) of yuan with at most two decimals."""
    try:
        price = Decimal(str(value)) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    except InvalidOperation:
        price = None
    if (price is None or not price.is_finite() or not Decimal("0") < price < Decimal("100000")
            or price != price.quantize(Decimal("0.01"))):
        raise RoomError("invalid", _("价格必须是大于 0 的金额，例如 9.90"))
    return price


def units_in_stock(product):
    """Units of the product the shop can still sell (None if its stock is not tracked). Only a check:
    the units are allocated when the order is placed, where the stock record refuses to oversell."""
    record = product.stockrecords.first()
    if record is None or not record.can_track_allocations:
        return None
    return max(record.net_stock_level, 0)


def flash_event(flash):
    return {
        "type": "flash",
        "id": flash.pk,
        "product_id": flash.product_id,
        "title": flash.product.get_title(),
        "price": str(flash.price),
        "remaining": flash.remaining,
        "ends_at": flash.ends_at.isoformat(),
        "quantity": flash.quantity,
        "per_user_limit": flash.per_user_limit,
    }


def flash_end_event(flash):
    return {"type": "flash.end", "product_id": flash.product_id, "reason": flash.end_reason}


def current_flash(session):
    """The session's flash sale that buyers can still claim, or None."""
    flash = FlashSale.objects.select_related("product").filter(session=session, ended_at__isnull=True).first()
    return flash if flash and flash.is_open(timezone.now()) else None


def end_flash(flash, reason):
    """Close a sale (idempotent); return its ``flash.end`` event, or None if it was already closed."""
    closed = FlashSale.objects.filter(pk=flash.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason
    )
    flash.end_reason = reason
    return flash_end_event(flash) if closed else None


def expire_flash(session_id):
    """Close a sale whose time is up; return the events to send."""
    flash = FlashSale.objects.filter(session_id=session_id, ended_at__isnull=True, ends_at__lte=timezone.now()).first()
    event = end_flash(flash, FlashSale.EndReason.EXPIRED) if flash else None
    return [event] if event else []


def start_flash(session, user, product_id, price, quantity, per_user_limit, duration_s):
    """Open a flash sale on a lineup product (ending any running one); return the events to send."""
    require_host(session, user)
    product_id = whole_number(product_id, 1, 2**31 - 1, "product_id")
    price = price_value(price)
    quantity = whole_number(quantity, 1, 100000, "quantity")
    per_user_limit = whole_number(per_user_limit, 1, 100000, "per_user_limit")
    duration_s = whole_number(duration_s, 10, 3600, "duration_s")
    session.refresh_from_db(fields=["status"])  # a room's socket may have opened before the stream went live
    if session.status != LiveSession.Status.LIVE:
        raise RoomError("not_allowed", _("开播后才能发起秒杀"))
    item = LineupItem.objects.select_related("product").filter(session=session, product_id=product_id).first()
    if item is None:
        raise RoomError("not_found", _("这件商品不在本场直播的商品清单里"))
    in_stock = units_in_stock(item.product)
    if in_stock is not None and quantity > in_stock:
        raise RoomError("invalid", _("库存只有 %(n)d 件，秒杀数量不能超过库存") % {"n": in_stock})
    approved = item.approved_price if item.price_status == pricing.PriceStatus.APPROVED else None
    if pricing.needs_approval(item.product, price, approved):
        raise RoomError("not_allowed", _("秒杀价低于帮扶村设定的底价，需要先在商品清单里提交直播价，由第一书记批准"))
    events = []
    with transaction.atomic():
        for running in FlashSale.objects.select_for_update().filter(session=session, ended_at__isnull=True):
            event = end_flash(running, FlashSale.EndReason.STOPPED)
            if event:
                events.append(event)
        now = timezone.now()
        flash = FlashSale.objects.create(
            session=session, product_id=product_id, price=price, quantity=quantity,
            per_user_limit=per_user_limit, started_at=now, ends_at=now + timedelta(seconds=duration_s),
        )
    return events + [flash_event(flash)]


def stop_flash(session, user):
    require_host(session, user)
    flash = FlashSale.objects.filter(session=session, ended_at__isnull=True).first()
    if flash is None:
        raise RoomError("not_found", _("现在没有进行中的秒杀"))
    event = end_flash(flash, FlashSale.EndReason.STOPPED)
    return [event] if event else []


def claim_flash(flash_id, user, quantity):
    """Take units of a flash sale for a buyer, never more than its quantity or the buyer's limit.

    The sale's row is locked (SELECT ... FOR UPDATE) for the check and the
    update, so concurrent buyers on PostgreSQL queue up on it. Returns the
    ``LivePurchase`` and the events to send.
    """
    with transaction.atomic():
        flash = FlashSale.objects.select_for_update(of=("self",)).select_related("product").get(pk=flash_id)
        now = timezone.now()
        if not flash.is_open(now):
            raise RoomError("sold_out", _("手慢了，秒杀已抢光或已结束"))
        bought = (
            LivePurchase.objects.filter(flash=flash, user=user).aggregate(n=Sum("quantity"))["n"] or 0
        )
        if bought + quantity > flash.per_user_limit:
            raise RoomError("limit_reached", _("每人限购 %(n)d 件") % {"n": flash.per_user_limit})
        if quantity > flash.remaining:
            raise RoomError("sold_out", _("只剩 %(n)d 件了") % {"n": flash.remaining})
        in_stock = units_in_stock(flash.product)
        if in_stock is not None and quantity > in_stock:
            # the sale's own count is not the shop's stock: buyers at the shop price took the rest
            raise RoomError("sold_out", _("只剩 %(n)d 件了") % {"n": in_stock} if in_stock else _("刚刚卖完了"))
        FlashSale.objects.filter(pk=flash.pk).update(sold=F("sold") + quantity)
        flash.sold += quantity
        purchase = LivePurchase.objects.create(
            session_id=flash.session_id, user=user, product_id=flash.product_id, flash=flash,
            price=flash.price, quantity=quantity,
        )
        events = [flash_event(flash)]
        if flash.remaining == 0:
            events.append(end_flash(flash, FlashSale.EndReason.SOLD_OUT))
    return purchase, events
