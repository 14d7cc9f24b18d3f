from django import template

from live.services import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user):
    """A user's name as other residents see it (胡奶奶), or their username."""
    return _display_name(user) or ""


@register.simple_tag
def room_strings():
    """The room script's words in the page's language (printed with json_script: no inline script)."""
    from django.utils.translation import gettext as _

    return {
        "connecting": _("连接中…"), "online": _("已连接"), "reconnecting": _("网络断开，正在重连…"),
        "live": _("直播中"), "ended": _("已结束"), "scheduled": _("未开播"), "status.reconnecting": _("重连中"),
        "justOrdered": _("刚刚下单"), "soldOut": _("已抢光"), "expired": _("已结束"), "stopped": _("已结束"),
        "hide": _("隐藏"), "mute": _("禁言10分钟"), "muted": _("已禁言"), "endedNote": _("直播已结束"),
        "toBasket": _("去购物车结算"),
    }


@register.simple_tag
def product_sessions(product, limit=4):
    """The live sessions that sell this product: (live and upcoming, past), for its product page."""
    from live.models import LiveSession

    sessions = (LiveSession.objects.filter(lineup__product=product).exclude(status=LiveSession.Status.CANCELLED)
                .select_related("community").distinct().order_by("-scheduled_start"))
    coming = sessions.filter(status__in=[LiveSession.Status.LIVE, LiveSession.Status.SCHEDULED])
    return {"coming": list(coming.order_by("scheduled_start")[:limit]),
            "past": list(sessions.filter(status=LiveSession.Status.ENDED)[:limit])}


@register.simple_tag
def attach_live_offers(products):
    """Give each listed product its ``live_offer`` (live price and room) while a session sells it: one query."""
    from live.models import LineupItem, LiveSession, PriceStatus

    products = [products] if hasattr(products, "pk") else list(products)
    offers = {}
    for item in (LineupItem.objects.filter(product__in=[p.pk for p in products], session__status=LiveSession.Status.LIVE,
                                           price_status=PriceStatus.APPROVED, live_price__isnull=False)
                 .select_related("session").order_by("live_price")):
        offers.setdefault(item.product_id, {"price": item.live_price, "session": item.session})
    for product in products:
        product.live_offer = offers.get(product.pk)
    return ""
