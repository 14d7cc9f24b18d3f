"""立即购买 from the room (at the flash or live price) and the order notices the room gets."""

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from ..models import FlashSale, LineupItem, LivePurchase, LiveSession
from .base import RoomError, can_chat, display_name, whole_number
from .flash import claim_flash

Selector = get_class("partner.strategy", "Selector")
Basket = get_model("basket", "Basket")


def mask_name(user):
    """胡** — how a buyer is shown to the room."""
    name = display_name(user) or ""
    return (name[:1] or "*") + "**"


def buy(session, user, product_id, quantity=1, flash_id=None):
    """立即购买: put a lineup product in the buyer's basket at its flash or live price.

    A buyer who pressed the button on a flash sale sends its ``flash_id`` and
    gets ``sold_out`` if the sale is over, rather than the product at another
    price. The claim and the basket change are one transaction: if the basket
    cannot take the units, the claim is undone with it. Returns the events to
    send to the room (a changed ``flash`` remaining).
    """
    if not can_chat(user):
        raise RoomError("login_required", _("请先登录后再购买"))
    product_id = whole_number(product_id, 1, 2**31 - 1, "product_id")
    quantity = whole_number(quantity, 1, 99, "quantity")
    item = LineupItem.objects.select_related("product").filter(session=session, product_id=product_id).first()
    if item is None:
        raise RoomError("not_found", _("这件商品不在本场直播的商品清单里"))
    session.refresh_from_db(fields=["status"])
    if session.status != LiveSession.Status.LIVE:
        raise RoomError("not_allowed", _("直播还没开始，暂时不能下单"))
    if flash_id is not None:
        flash_id = whole_number(flash_id, 1, 2**63 - 1, "flash_id")
        if not FlashSale.objects.filter(pk=flash_id, session=session, product_id=product_id).exists():
            raise RoomError("sold_out", _("手慢了，秒杀已抢光或已结束"))
    else:
        flash = FlashSale.objects.filter(session=session, product_id=product_id, ended_at__isnull=True).first()
        flash_id = flash.pk if flash and flash.is_open(timezone.now()) else None
    with transaction.atomic():
        events = []
        if flash_id is not None:
            # claim_flash refuses a sale that is not open at this instant (ended, sold out or past ends_at)
            _purchase, events = claim_flash(flash_id, user, quantity)
        elif item.effective_live_price is not None:
            claim_live_price(session, user, item, quantity)
        basket = Basket.open.filter(owner=user).first() or Basket.open.create(owner=user)
        basket.strategy = Selector().strategy(user=user)
        info = basket.strategy.fetch_for_product(item.product)
        line_quantity = basket.line_quantity(item.product, info.stockrecord) + quantity
        allowed, reason = info.availability.is_purchase_permitted(line_quantity)
        if not allowed:
            raise RoomError("sold_out", reason or _("库存不足"))
        basket.add_product(item.product, quantity)
    return events


def claim_live_price(session, user, item, quantity):
    """Units at the session's live price, at most LIVE_PRICE_PER_USER_LIMIT per buyer and session."""
    bought = (LivePurchase.objects.filter(session=session, user=user, product=item.product, flash__isnull=True)
              .aggregate(n=Sum("quantity"))["n"] or 0)
    limit = settings.LIVE_PRICE_PER_USER_LIMIT
    if bought + quantity > limit:
        raise RoomError("limit_reached", _("直播价每人限购 %(n)d 件") % {"n": limit})
    return LivePurchase.objects.create(
        session=session, user=user, product=item.product, price=item.effective_live_price, quantity=quantity,
    )


def record_order(order):
    """An order was placed: tie its lines to the live purchases behind them; return (session id, event) pairs."""
    if not order.user_id:
        return []
    notices = []
    for line in order.lines.all():
        purchases = LivePurchase.objects.filter(
            user_id=order.user_id, product_id=line.product_id, order__isnull=True
        )
        session_ids = set(purchases.values_list("session_id", flat=True))
        purchases.update(order=order)
        for session_id in session_ids:
            notices.append((session_id, {
                "type": "order", "buyer": mask_name(order.user),
                "product_title": line.title, "quantity": line.quantity,
            }))
    return notices
