"""
What happens in a live room, as plain functions the consumer calls.

They take and return plain data (the event dicts of the live protocol) so
they can be tested without a socket, and they are synchronous: the consumer
runs them through ``database_sync_to_async``.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncMinute
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from . import pricing
from .models import HOSTS_GROUP, ChatMessage, FlashSale, LineupItem, LivePurchase, LiveSession, Mute

Selector = get_class("partner.strategy", "Selector")
Basket = get_model("basket", "Basket")
OrderLine = get_model("order", "Line")

MAX_CHAT_LENGTH = 200
MAX_CLIENT_ID_LENGTH = 64


class RoomError(Exception):
    """A refused client frame; becomes an ``error`` event with this code and message."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message

    def as_event(self):
        return {"type": "error", "code": self.code, "message": str(self.message)}


def display_name(user):
    """How a user is shown to others: 胡奶奶 (family name first) for Chinese names."""
    if user is None or not user.is_authenticated:
        return None
    last, first = user.last_name.strip(), user.first_name.strip()
    if any("\u4e00" <= ch <= "\u9fff" for ch in last + first):
        return last + first
    return user.get_full_name() or user.get_username()


def chat_event(message):
    return {
        "type": "chat",
        "id": message.pk,
        "user": display_name(message.user),
        "user_id": message.user_id,
        "text": message.text,
        "ts": message.created.isoformat(),
        "client_id": message.client_id or None,
    }


def get_session(session_id):
    return LiveSession.objects.select_related("host").filter(pk=session_id).first()


def can_chat(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_host(session, user):
    """Platform staff, or the session's host while still a community host of its community.

    Read from the database every time, not from the user object a socket
    loaded when it connected: rights taken away take effect at once.
    """
    if not (user and user.is_authenticated):
        return False
    return get_user_model().objects.filter(pk=user.pk, is_active=True).filter(
        Q(is_staff=True)
        | Q(pk=session.host_id, groups__name=HOSTS_GROUP, hosted_communities=session.community_id)
    ).exists()


def can_moderate(session, user):
    """The host, staff, or a moderator (场控) appointed for this session (checked in the database)."""
    return is_host(session, user) or bool(
        user and user.is_authenticated and session.moderators.filter(pk=user.pk, is_active=True).exists()
    )


def require_host(session, user):
    if not (user and user.is_authenticated):
        raise RoomError("login_required", _("请先登录"))
    if not is_host(session, user):
        raise RoomError("not_allowed", _("只有本场主播可以这样做"))


def require_moderator(session, user):
    if not (user and user.is_authenticated):
        raise RoomError("login_required", _("请先登录"))
    if not can_moderate(session, user):
        raise RoomError("not_allowed", _("只有主播或场控可以这样做"))


def whole_number(value, low, high, field):
    """A frame's integer field, checked against its range."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RoomError("invalid", _("%(field)s 必须是 %(low)d 到 %(high)d 之间的整数")
                        % {"field": field, "low": low, "high": high})
    return value


def short_text(value, field, limit=MAX_CHAT_LENGTH):
    if not isinstance(value, str) or not value.strip():
        raise RoomError("invalid", _("%(field)s 不能为空") % {"field": field})
    value = value.strip()
    if len(value) > limit:
        raise RoomError("too_long", _("不能超过 %(n)d 个字") % {"n": limit})
    return value


def product_card(item):
    """The pinned product as the room shows it: shop price, live price, stock."""
    product = item.product
    info = Selector().strategy().fetch_for_product(product)
    image = product.primary_image()
    return {
        "id": product.pk,
        "title": product.get_title(),
        "price": str(info.price.incl_tax) if info.price.exists else None,
        "live_price": None if item.effective_live_price is None else str(item.effective_live_price),
        "image": image.original.url if hasattr(image, "original") else None,
        "url": product.get_absolute_url(),
        "stock": info.stockrecord.net_stock_level if info.stockrecord else 0,
    }


def pinned_card(session):
    item = (
        LineupItem.objects.select_related("product").filter(pk=session.pinned_id).first()
        if session.pinned_id else None
    )
    return product_card(item) if item else None


def hello_event(session, user, viewers=0):
    """The first event a client gets: the session, recent chat and who it is."""
    recent = (
        ChatMessage.objects.filter(session=session, is_hidden=False)
        .select_related("user")
        .order_by("-id")[: settings.LIVE_CHAT_HISTORY]
    )
    return {
        "type": "hello",
        "session": {
            "id": session.pk,
            "title": session.title,
            "status": session.room_status,
            "host": display_name(session.host),
        },
        "history": [chat_event(m) for m in reversed(recent)],
        "pinned": pinned_card(session),
        "flash": flash_event(flash) if (flash := current_flash(session)) else None,
        "announce": session.announcement or None,
        "viewers": viewers,
        "likes": session.likes,
        "you": {
            "user": display_name(user),
            "can_chat": can_chat(user) and not is_muted(session, user),
            "is_host": is_host(session, user),
            "is_moderator": can_moderate(session, user),
        },
    }


def post_chat(session, user, text, client_id=None):
    """Validate and store a chat message; return the ``chat`` event to broadcast."""
    if not can_chat(user):
        raise RoomError("login_required", _("请先登录后再发言"))
    if not isinstance(text, str):
        raise RoomError("invalid", _("消息内容必须是文字"))
    text = text.strip()
    if not text:
        raise RoomError("invalid", _("消息不能为空"))
    if len(text) > MAX_CHAT_LENGTH:
        raise RoomError("too_long", _("消息不能超过 %(n)d 个字") % {"n": MAX_CHAT_LENGTH})
    if client_id is not None and (not isinstance(client_id, str) or len(client_id) > MAX_CLIENT_ID_LENGTH):
        raise RoomError("invalid", _("client_id 格式不正确"))
    if is_muted(session, user):
        raise RoomError("muted", _("你已被禁言，暂时不能发言"))
    if is_rate_limited(user):
        raise RoomError("rate_limited", _("发言太快了，请稍等一下再发"))
    message = ChatMessage.objects.create(
        session=session, user=user, text=text, client_id=client_id or ""
    )
    return chat_event(message)


def is_rate_limited(user):
    """At most LIVE_CHAT_BURST messages in any window of BURST / RATE seconds (about one a second).

    Counted from the stored messages, so it holds across tabs, rooms and server processes.
    """
    window = timedelta(seconds=settings.LIVE_CHAT_BURST / settings.LIVE_CHAT_RATE)
    recent = ChatMessage.objects.filter(user=user, created__gt=timezone.now() - window)
    return recent.count() >= settings.LIVE_CHAT_BURST


def is_muted(session, user):
    if not (user and user.is_authenticated):
        return False
    return Mute.objects.filter(session=session, user=user, until__gt=timezone.now()).exists()


def pin(session, user, product_id):
    """Pin a product of the lineup; returns the ``pin`` event."""
    require_moderator(session, user)
    product_id = whole_number(product_id, 1, 2**31 - 1, "product_id")
    # a product taken off sale (not public, e.g. back in review) cannot be pinned either
    item = LineupItem.objects.select_related("product").filter(session=session, product_id=product_id,
                                                               product__is_public=True).first()
    if item is None:
        raise RoomError("not_found", _("这件商品不在本场直播的商品清单里"))
    LiveSession.objects.filter(pk=session.pk).update(pinned=item)
    session.pinned_id = item.pk
    return {"type": "pin", "product": product_card(item)}


def unpin(session, user):
    require_moderator(session, user)
    LiveSession.objects.filter(pk=session.pk).update(pinned=None)
    session.pinned_id = None
    return {"type": "unpin"}


def hide(session, user, message_id):
    """Hide one chat message for everyone; returns the ``chat.hidden`` event."""
    require_moderator(session, user)
    message_id = whole_number(message_id, 1, 2**63 - 1, "message_id")
    if not ChatMessage.objects.filter(session=session, pk=message_id).update(is_hidden=True):
        raise RoomError("not_found", _("找不到这条消息"))
    return {"type": "chat.hidden", "id": message_id}


def mute(session, user, user_id, minutes):
    """Silence a user in this session's chat for some minutes."""
    require_moderator(session, user)
    user_id = whole_number(user_id, 1, 2**31 - 1, "user_id")
    minutes = whole_number(minutes, 1, 1440, "minutes")
    target = get_user_model().objects.filter(pk=user_id).first()
    if target is None:
        raise RoomError("not_found", _("找不到这个用户"))
    if can_moderate(session, target):
        raise RoomError("not_allowed", _("不能禁言主播或场控"))
    Mute.objects.update_or_create(
        session=session, user=target,
        defaults={"until": timezone.now() + timedelta(minutes=minutes), "by": user},
    )


def announce(session, user, text):
    """Set (or with an empty text, clear) the line shown pinned above the chat."""
    require_host(session, user)
    text = None if text in (None, "") else short_text(text, _("公告"))
    LiveSession.objects.filter(pk=session.pk).update(announcement=text or "")
    return {"type": "announce", "text": text}


def check_likes(user, count):
    """A valid ``like`` frame's count; the room's hub adds it up and stores it once a tick."""
    if not can_chat(user):
        raise RoomError("login_required", _("请先登录后再点赞"))
    return whole_number(count, 1, 20, "count")


def store_likes(session_id, count):
    """Add a tick's likes to the session; return its total."""
    if count:
        LiveSession.objects.filter(pk=session_id).update(likes=F("likes") + count)
    return LiveSession.objects.filter(pk=session_id).values_list("likes", flat=True).first() or 0


# --- Flash sales and 立即购买 -------------------------------------------------------

def mask_name(user):
    """胡** — how a buyer is shown to the room."""
    name = display_name(user) or ""
    return (name[:1] or "*") + "**"


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
