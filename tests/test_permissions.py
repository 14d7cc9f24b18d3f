"""
Who may do what: one table of roles × every URL that reads private data or
changes state, run on SQLite and PostgreSQL (and the live room's actions in
tests/test_permissions_live.py).

Every route in the URL configuration must be covered, or the last test fails:
our own routes by an explicit row of TABLE, third-party admin areas by a sweep
that opens every one of their routes as each non-operator role.
"""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from oscar.core.loading import get_model

from cms.models import EventPage, Reservation, VolunteerRequest, VolunteerTeam
from live.models import HOSTS_GROUP, LineupItem, LiveSession, PriceStatus
from market.models import Community, Listing, PickupPoint
from market.shipping.repository import Pickup

from .conftest import DEMO_PASSWORD

Product = get_model("catalogue", "Product")
User = get_user_model()

ROLES = ["anonymous", "resident", "elder", "secretary_a", "secretary_b", "host", "host_2", "moderator", "pickup_staff",
         "worker", "editor", "operator"]
USERNAMES = {"resident": "resident", "elder": "elder", "secretary_a": "secretary", "pickup_staff": "pickup",
             "worker": "worker", "editor": "editor",
             "secretary_b": "secretary_damiaotun", "host": "host", "host_2": "host_2",
             "moderator": "moderator", "operator": "admin"}

OK, LOGIN, DENIED, GONE, NOT_ALLOWED, DONE = "200", "login", "denied", "404", "405", "done"


def expect(default, **roles):
    return {role: roles.get(role, default) for role in ROLES}


def signed_in(default, anonymous=LOGIN, **roles):
    return expect(default, anonymous=anonymous, **roles)


# (route as in the URL configuration, method, path template, expected answer per role)
# {live} the demo's live session, {ended} its ended one (with a replay), {scheduled} a scheduled one, {pending} a pending live price of
# village A's product, {order} an order with village A's and B's lines.
TABLE = [
    ("i18n/setlang/", "post", "/i18n/setlang/", expect(DONE)),
    ("elder-mode/", "post", "/elder-mode/", expect(DONE)),
    ("elder-mode/", "get", "/elder-mode/", expect(NOT_ALLOWED)),
    ("accounts/login/", "get", "/accounts/login/", expect(OK)),
    # one login page: Oscar's login and register pages send people there
    ("shop/accounts/register/", "post", "/shop/accounts/register/", expect(DONE)),
    ("shop/accounts/login/", "post", "/shop/accounts/login/", expect(DONE)),
    # 手机号 + 验证码: an empty form answers with its errors; GET goes back to the login page
    ("accounts/code/", "post", "/accounts/code/", expect(OK)),
    ("accounts/code/", "get", "/accounts/code/", expect(DONE)),
    # signing up needs a number verified by a code in this session: nobody here has one
    ("accounts/signup/", "get", "/accounts/signup/", expect(DONE)),
    ("accounts/signup/", "post", "/accounts/signup/", expect(DONE)),
    ("accounts/terms/", "get", "/accounts/terms/", expect(OK)),
    ("accounts/privacy/", "get", "/accounts/privacy/", expect(OK)),
    ("live/", "get", "/live/", expect(OK)),
    ("search/", "get", "/search/?q=市集", expect(OK)),
    ("live/<int:pk>/", "get", "/live/{live}/", expect(OK)),
    ("live/new/", "get", "/live/new/", signed_in(DENIED, host=OK, host_2=OK, operator=OK)),
    ("live/new/", "post", "/live/new/", signed_in(DENIED, host=OK, host_2=OK, operator=OK)),
    ("live/<int:pk>/edit/", "get", "/live/{live}/edit/", signed_in(DENIED, host=OK, operator=OK)),
    ("live/<int:pk>/edit/", "post", "/live/{live}/edit/", signed_in(DENIED, host=OK, operator=OK)),
    ("live/<int:pk>/console/", "get", "/live/{live}/console/", signed_in(DENIED, host=OK, moderator=OK, operator=OK)),
    ("live/<int:pk>/key/", "post", "/live/{live}/key/", signed_in(DENIED, host=DONE, operator=DONE)),
    ("live/<int:pk>/key/", "get", "/live/{live}/key/", signed_in(NOT_ALLOWED)),
    ("live/<int:pk>/moderators/", "post", "/live/{live}/moderators/", signed_in(DENIED, host=DONE, operator=DONE)),
    ("live/<int:pk>/remind/", "post", "/live/{scheduled}/remind/", signed_in(DONE)),
    ("live/<int:pk>/buy/", "post", "/live/{live}/buy/", signed_in(DONE)),
    # 加入购物车 from a replay: anyone (Oscar's baskets are for visitors too), only on an ended session
    ("live/<int:pk>/replay/add/", "post", "/live/{ended}/replay/add/", expect(DONE)),
    ("live/<int:pk>/replay/add/", "post", "/live/{live}/replay/add/", expect(GONE)),
    ("live/<int:pk>/replay/add/", "get", "/live/{ended}/replay/add/", expect(NOT_ALLOWED)),
    ("live/<int:pk>/", "get", "/live/{ended}/", expect(OK)),
    ("live/prices/", "get", "/live/prices/", signed_in(OK)),
    ("live/prices/<int:pk>/", "post", "/live/prices/{pending}/", signed_in(GONE, secretary_a=DONE)),
    ("live/rtmp/publish/", "post", "/live/rtmp/publish/", expect(DENIED)),
    ("live/rtmp/publish-done/", "post", "/live/rtmp/publish-done/", expect(DENIED)),
    ("live/rtmp/record-done/", "post", "/live/rtmp/record-done/", expect(DENIED)),
    ("^hls/(?P<path>.+)$", "get", "/hls/session-{live}/index.m3u8", expect(GONE)),
    ("^media/(?P<path>.*)$", "get", "/media/nothing-here.jpg", expect(GONE)),
    ("documents/^(\\d+)/(.*)$", "get", "/documents/999/x.pdf", expect(GONE)),
    ("documents/authenticate_with_password/<int:restriction_id>/", "post",
     "/documents/authenticate_with_password/999/", expect(GONE)),
    ("_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/", "post",
     "/_util/authenticate_with_password/999/999/", expect(GONE)),
    ("_util/login/", "get", "/_util/login/", expect(OK)),
    ("^((?:[\\w\\-]+/)*)$", "get", "/communities/", expect(OK)),
    # the shop's own pages and Oscar's private storefront pages
    ("shop/", "get", "/shop/", expect(OK)),
    ("shop/silver/", "get", "/shop/silver/", expect(OK)),
    ("shop/accounts/", "get", "/shop/accounts/", expect(DONE)),  # to 我的
    ("shop/accounts/orders/", "get", "/shop/accounts/orders/", expect(DONE)),  # to 我的's order list
    # 我的: a resident's own orders, reservations, points and settings
    # the installable app: nothing personal in its manifest, service worker or offline page
    ("manifest.webmanifest", "get", "/manifest.webmanifest", expect(OK)),
    ("sw.js", "get", "/sw.js", expect(OK)),
    ("offline/", "get", "/offline/", expect(OK)),
    ("me/", "get", "/me/", signed_in(OK)),
    ("me/orders/", "get", "/me/orders/", signed_in(OK)),
    ("me/settings/", "get", "/me/settings/", signed_in(OK)),
    ("me/settings/mobile/", "get", "/me/settings/mobile/", signed_in(DONE)),
    ("me/settings/mobile/", "post", "/me/settings/mobile/", signed_in(OK)),  # an empty form: its errors
    ("me/settings/password/", "get", "/me/settings/password/", signed_in(OK)),
    ("me/settings/password/", "post", "/me/settings/password/", signed_in(OK)),
    ("me/push/", "get", "/me/push/", signed_in(NOT_ALLOWED, anonymous=DENIED)),
    ("me/push/", "post", "/me/push/", signed_in("400", anonymous=DENIED)),  # no subscription in the body
    ("shop/accounts/orders/<str:order_number>/", "get", "/shop/accounts/orders/{order_number}/",
     signed_in(GONE, resident=OK)),
    ("shop/checkout/", "get", "/shop/checkout/", signed_in(DONE)),
    # Oscar's dashboard: staff only (first secretaries have /village/)
    ("dashboard/", "get", "/dashboard/", signed_in(DENIED, operator=OK)),
    ("dashboard/catalogue/", "get", "/dashboard/catalogue/", signed_in(DENIED, operator=OK)),
    ("dashboard/orders/", "get", "/dashboard/orders/", signed_in(DENIED, operator=OK)),
    ("dashboard/orders/<str:number>/", "get", "/dashboard/orders/{order_number}/", signed_in(DENIED, operator=OK)),
    ("dashboard/orders/<str:number>/", "post", "/dashboard/orders/{order_number}/", signed_in(DENIED, operator=DONE)),
    ("dashboard/orders/<str:number>/notes/<int:note_id>/", "post", "/dashboard/orders/{order_number}/notes/1/",
     signed_in(DENIED, operator=DONE)),
    ("dashboard/orders/<str:number>/shipping-address/", "get",
     "/dashboard/orders/{order_number}/shipping-address/", signed_in(DENIED, operator=GONE)),  # no address
    ("dashboard/orders/statistics/", "get", "/dashboard/orders/statistics/", signed_in(DENIED, operator=OK)),
    ("dashboard/partners/<int:partner_pk>/users/<int:user_pk>/link/", "get",
     "/dashboard/partners/{partner_a}/users/{resident_id}/link/", signed_in(DENIED, operator=NOT_ALLOWED)),
    ("dashboard/partners/<int:partner_pk>/users/<int:user_pk>/link/", "post",
     "/dashboard/partners/{partner_a}/users/{resident_id}/link/", signed_in(DENIED, operator=DONE)),
    ("dashboard/partners/", "get", "/dashboard/partners/", signed_in(DENIED, operator=OK)),
    ("dashboard/users/", "get", "/dashboard/users/", signed_in(DENIED, operator=OK)),
    # 村务工作台: a village's first secretaries (their own village only); the review queue for operators
    ("village/", "get", "/village/", signed_in(DENIED, secretary_a=OK, secretary_b=OK, operator=DONE)),
    ("village/products/new/", "get", "/village/products/new/", signed_in(DENIED, secretary_a=OK, secretary_b=OK)),
    ("village/products/new/", "post", "/village/products/new/", signed_in(DENIED, secretary_a=OK, secretary_b=OK)),
    ("village/products/<int:pk>/", "get", "/village/products/{product_a}/",
     signed_in(DENIED, secretary_a=OK, secretary_b=GONE)),
    ("village/products/<int:pk>/", "post", "/village/products/{product_a}/",
     signed_in(DENIED, secretary_a=OK, secretary_b=GONE)),  # re-rendered with its errors
    ("village/products/<int:pk>/batches/", "post", "/village/products/{product_a}/batches/",
     signed_in(DENIED, secretary_a=DONE, secretary_b=GONE)),
    ("village/batches/<str:code>/labels/", "get", "/village/batches/{batch_a}/labels/",
     signed_in(DENIED, secretary_a=OK, secretary_b=GONE)),
    ("village/orders/", "get", "/village/orders/", signed_in(DENIED, secretary_a=OK, secretary_b=OK)),
    ("village/deliveries/<day:day>/<int:point>/", "get", "/village/deliveries/{day}/{point}/",
     signed_in(DENIED, secretary_a=OK, secretary_b=OK)),  # the mixed order: each sees their own lines
    ("village/deliveries/<day:day>/<int:point>/", "get", "/village/deliveries/{day}/{other_point}/",
     signed_in(DENIED, secretary_a=GONE, secretary_b=GONE)),
    ("village/deliveries/<day:day>/<int:point>/delivered/", "post", "/village/deliveries/{day}/{point}/delivered/",
     signed_in(DENIED, secretary_a=DONE, secretary_b=DONE)),
    ("village/deliveries/<day:day>/<int:point>/delivered/", "get", "/village/deliveries/{day}/{point}/delivered/",
     signed_in(DENIED, secretary_a=NOT_ALLOWED, secretary_b=NOT_ALLOWED)),
    # 邮政配送: a village posts its own lines (a refusal is a message on the orders page; nothing changes,
    # tests/test_postal.py); the buyer confirms receipt of their own order (others get a message, likewise)
    ("village/orders/<str:number>/shipped/", "post", "/village/orders/{order_number}/shipped/",
     signed_in(DENIED, secretary_a=DONE, secretary_b=DONE)),
    ("village/orders/<str:number>/shipped/", "get", "/village/orders/{order_number}/shipped/",
     signed_in(DENIED, secretary_a=NOT_ALLOWED, secretary_b=NOT_ALLOWED)),
    # 货款已收到 for a postal order paid on receipt: a village with lines in it (a refusal is a message)
    ("village/orders/<str:number>/cash/", "post", "/village/orders/{order_number}/cash/",
     signed_in(DENIED, secretary_a=DONE, secretary_b=DONE)),
    ("village/orders/<str:number>/cash/", "get", "/village/orders/{order_number}/cash/",
     signed_in(DENIED, secretary_a=NOT_ALLOWED, secretary_b=NOT_ALLOWED)),
    ("shop/orders/<str:number>/received/", "post", "/shop/orders/{order_number}/received/", signed_in(DONE)),
    ("shop/orders/<str:number>/received/", "get", "/shop/orders/{order_number}/received/", signed_in(NOT_ALLOWED)),
    ("shop/accounts/addresses/default", "get",
     "/shop/accounts/addresses/{resident_address}/default_for_shipping/", signed_in(NOT_ALLOWED)),
    ("shop/accounts/addresses/default", "post",
     "/shop/accounts/addresses/{resident_address}/default_for_shipping/", signed_in(GONE, resident=DONE)),
    # the address book's Chinese add/edit form (market.address.forms): only the owner's addresses
    ("shop/accounts/addresses/add/", "get", "/shop/accounts/addresses/add/", signed_in(OK)),
    ("shop/accounts/addresses/add/", "post", "/shop/accounts/addresses/add/", signed_in(OK)),  # empty: its errors
    ("shop/accounts/addresses/<int:pk>/", "get", "/shop/accounts/addresses/{resident_address}/",
     signed_in(GONE, resident=OK)),
    ("shop/accounts/addresses/<int:pk>/", "post", "/shop/accounts/addresses/{resident_address}/",
     signed_in(GONE, resident=OK)),
    ("shop/accounts/addresses/<int:pk>/delete/", "get", "/shop/accounts/addresses/{resident_address}/delete/",
     signed_in(GONE, resident=OK)),
    ("village/review/", "get", "/village/review/", signed_in(DENIED, operator=OK)),
    ("village/review/<int:pk>/", "post", "/village/review/{listing}/", signed_in(DENIED, operator=DONE)),
    ("village/review/<int:pk>/", "get", "/village/review/{listing}/", signed_in(DENIED, operator=NOT_ALLOWED)),
    ("trace/<str:code>/", "get", "/trace/{batch_a}/", expect(OK)),
    # 在线支付: Stripe's webhook answers only a signed body (none here: online payment is off in this table);
    # 去支付 is the buyer's own (their order is not awaiting payment: a message on its page); refunds by
    # operators in the dashboard, and by first secretaries for their village's lines (tests/test_payments.py)
    ("shop/stripe/webhook/", "post", "/shop/stripe/webhook/", expect("400")),
    ("shop/stripe/webhook/", "get", "/shop/stripe/webhook/", expect(NOT_ALLOWED)),
    ("shop/orders/<str:number>/pay/", "post", "/shop/orders/{order_number}/pay/", signed_in(GONE, resident=DONE)),
    ("shop/orders/<str:number>/pay/", "get", "/shop/orders/{order_number}/pay/", signed_in(NOT_ALLOWED)),
    # 支付异常: the operators' queue, its refund and its 标记处理完 (POST only; no such issue here: 404)
    ("dashboard/payment-issues/", "get", "/dashboard/payment-issues/", signed_in(DENIED, operator=OK)),
    ("dashboard/payment-issues/<int:pk>/refund/", "post", "/dashboard/payment-issues/999999/refund/",
     signed_in(DENIED, operator=GONE)),
    ("dashboard/payment-issues/<int:pk>/refund/", "get", "/dashboard/payment-issues/999999/refund/",
     signed_in(DENIED, operator=NOT_ALLOWED)),
    ("dashboard/payment-issues/<int:pk>/resolve/", "post", "/dashboard/payment-issues/999999/resolve/",
     signed_in(DENIED, operator=GONE)),
    ("dashboard/orders/<str:number>/refund/", "get", "/dashboard/orders/{order_number}/refund/",
     signed_in(DENIED, operator=OK)),
    ("dashboard/orders/<str:number>/refund/", "post", "/dashboard/orders/{order_number}/refund/",
     signed_in(DENIED, operator=OK)),  # nothing ticked: the page again, with its message
    ("village/orders/<str:number>/refund/", "get", "/village/orders/{order_number}/refund/",
     signed_in(DENIED, secretary_a=OK, secretary_b=OK, operator=OK)),
    ("village/orders/<str:number>/refund/", "post", "/village/orders/{order_number}/refund/",
     signed_in(DENIED, secretary_a=OK, secretary_b=OK, operator=OK)),
    # 自提点: the point's staff only
    ("pickup/", "get", "/pickup/", signed_in(DENIED, pickup_staff=OK)),
    ("pickup/handover/", "get", "/pickup/handover/", signed_in(DENIED, pickup_staff=OK)),
    ("pickup/handover/", "post", "/pickup/handover/", signed_in(DENIED, pickup_staff=OK)),  # "enter the code"
    ("shop/checkout/delivery/", "get", "/shop/checkout/delivery/", signed_in(DONE)),  # empty basket: back to it
    # 代下单: community workers, their own orders only (the elder sees hers under 我的订单, not here)
    ("assist/", "get", "/assist/", signed_in(DENIED, worker=OK)),
    ("assist/orders/<str:number>/", "get", "/assist/orders/{assisted_order}/", signed_in(DENIED, worker=OK)),
    ("assist/orders/<str:number>/", "get", "/assist/orders/{order_number}/", signed_in(DENIED, worker=GONE)),
    # 社区家园: reserving is for signed-in residents; a reservation is its holder's alone (the demo's belong
    # to other residents); the list, check-in and attendance are for the event's community's staff
    # (朝阳街's worker and editor, operators), never another community's
    ("events/mine/", "get", "/events/mine/", signed_in(OK)),
    ("events/staff/", "get", "/events/staff/", signed_in(DENIED, worker=OK, editor=OK, operator=OK)),
    ("events/<int:pk>/reserve/", "get", "/events/{event}/reserve/", signed_in(DONE)),
    ("events/<int:pk>/reserve/", "post", "/events/{event}/reserve/", signed_in(OK)),  # empty form: its errors
    ("events/<int:pk>/calendar.ics", "get", "/events/{event}/calendar.ics", expect(OK)),
    ("events/<int:pk>/reservations/", "get", "/events/{event}/reservations/",
     signed_in(DENIED, worker=OK, editor=OK, operator=OK)),
    ("events/<int:pk>/reservations/", "get", "/events/{other_event}/reservations/", signed_in(DENIED, operator=OK)),
    ("events/<int:pk>/checkin/", "get", "/events/{event}/checkin/", signed_in(DENIED, worker=OK, editor=OK, operator=OK)),
    ("events/<int:pk>/checkin/", "post", "/events/{event}/checkin/",
     signed_in(DENIED, worker=OK, editor=OK, operator=OK)),  # no code: "enter the code"
    ("events/<int:pk>/checkin/", "post", "/events/{other_event}/checkin/", signed_in(DENIED, operator=OK)),
    ("events/<int:pk>/attendance.csv", "get", "/events/{event}/attendance.csv",
     signed_in(DENIED, worker=OK, editor=OK, operator=OK)),
    ("events/<int:pk>/attendance.csv", "get", "/events/{other_event}/attendance.csv", signed_in(DENIED, operator=OK)),
    ("events/reservations/<int:pk>/cancel/", "post", "/events/reservations/{reservation}/cancel/", signed_in(GONE)),
    ("events/reservations/<int:pk>/cancel/", "get", "/events/reservations/{reservation}/cancel/",
     signed_in(NOT_ALLOWED)),
    ("events/reservations/<int:pk>/calendar.ics", "get", "/events/reservations/{reservation}/calendar.ics",
     signed_in(GONE)),
    ("events/teams/<int:pk>/join/", "post", "/events/teams/{team}/join/", signed_in(DONE)),  # empty: a message
    ("events/teams/<int:pk>/join/", "get", "/events/teams/{team}/join/", signed_in(NOT_ALLOWED)),
    ("events/teams/requests/<int:pk>/handled/", "post", "/events/teams/requests/{volunteer_request}/handled/",
     signed_in(DENIED, worker=DONE, editor=DONE, operator=DONE)),
    ("events/teams/requests/<int:pk>/handled/", "get", "/events/teams/requests/{volunteer_request}/handled/",
     signed_in(NOT_ALLOWED)),
    # 积分: one's own; 积分登记 for the staff of a community (an empty form: its errors)
    ("points/", "get", "/points/", signed_in(OK)),
    ("points/staff/", "get", "/points/staff/", signed_in(DENIED, worker=OK, editor=OK, operator=OK)),
    ("points/staff/", "post", "/points/staff/", signed_in(DENIED, worker=OK, editor=OK, operator=OK)),
    ("cms/", "get", "/cms/", signed_in(LOGIN, editor=OK, operator=OK)),
    # Wagtail's snippet chooser: an editor chooses only their own community's volunteer requests
    ("cms/snippets/choose/cms/volunteerrequest/chosen/<str:pk>/", "get",
     "/cms/snippets/choose/cms/volunteerrequest/chosen/{volunteer_request}/", signed_in(LOGIN, editor=OK, operator=OK)),
    ("cms/snippets/choose/cms/volunteerrequest/chosen/<str:pk>/", "get",
     "/cms/snippets/choose/cms/volunteerrequest/chosen/{other_volunteer_request}/",
     signed_in(LOGIN, editor=GONE, operator=OK)),
    ("django-admin/", "get", "/django-admin/", expect(LOGIN, operator=OK)),
    # 结束直播: the host's (or an operator's); near the end, as it ends the demo's live session
    ("live/<int:pk>/end/", "get", "/live/{live}/end/", signed_in(NOT_ALLOWED)),
    ("live/<int:pk>/end/", "post", "/live/{live}/end/", signed_in(DENIED, host=DONE, operator=DONE)),
    ("shop/accounts/addresses/<int:pk>/delete/", "post", "/shop/accounts/addresses/{resident_address}/delete/",
     signed_in(GONE, resident=DONE)),  # near the end: it removes the address the rows above use
    ("accounts/logout/", "post", "/accounts/logout/", expect(DONE)),  # last: it signs the client out
]

# Routes of third-party areas covered by the sweeps below rather than row by row.
OPERATOR_AREAS = ("cms/", "django-admin/")
PUBLIC_IN_OPERATOR_AREAS = re.compile(r"^(cms/(login|logout|password_reset|jsi18n|sprite)|"
                                      r"django-admin/(login|logout|password_reset|.*jsi18n))")
STOREFRONT_PUBLIC = re.compile(r"^shop/(catalogue|search|offers|basket|password-reset|reset|accounts/(login|register|logout)|"
                               r"accounts/alerts/(confirm|cancel)/|accounts/\^order-status-form/|ranges|checkout/(thank-you|preview))")


def routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))


def concrete(route):
    """A path for a route, with every parameter set to 1 (enough to reach the view's permission check)."""
    path = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    path = re.sub(r"\([^)]*\)[*+?]?", "1", path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo data plus a second host, a moderator, a pending live price and a mixed-village order."""
    from oscar.test import factories

    with django_db_blocker.unblock():
        live = LiveSession.objects.filter(status="live").first()
        second = User.objects.create_user("host_2", password=DEMO_PASSWORD)
        Group.objects.get(name=HOSTS_GROUP).user_set.add(second)
        Community.objects.exclude(pk=live.community_id).first().hosts.add(second)
        moderator = User.objects.create_user("moderator", password=DEMO_PASSWORD)
        live.moderators.add(moderator)
        product = Product.objects.get(title="桑梓槐花蜜 1kg")
        pending = LineupItem.objects.create(session=live, product=product, position=9, live_price=Decimal("0.01"))
        assert pending.price_status == PriceStatus.PENDING
        basket = factories.create_basket(empty=True)
        for title in ("桑梓土蜂蜜 500g", "普罗旺斯西红柿 5斤装"):
            basket.add_product(Product.objects.get(title=title), 1)
        point = PickupPoint.objects.get(community__slug="chaoyangjie")
        order = factories.create_order(basket=basket, user=User.objects.get(username="resident"),
                                       shipping_method=Pickup(point))
        honey = Product.objects.get(title="桑梓土蜂蜜 500g")
        values = {
            "product_a": honey.pk, "batch_a": honey.batches.first().code,
            "listing": Listing.objects.filter(status=Listing.Status.PENDING).first().pk,
            "day": order.delivery.deliver_on.isoformat(), "point": point.pk,
            "other_point": PickupPoint.objects.get(community__slug="yunhu").pk,
            "live": live.pk, "scheduled": LiveSession.objects.filter(status="scheduled").first().pk,
            "ended": LiveSession.objects.filter(status="ended").first().pk,
            "pending": pending.pk, "order_number": order.number,
            "partner_a": get_model("partner", "Partner").objects.get(code="sangzidian").pk,
            "resident_id": User.objects.get(username="resident").pk,
            "resident_address": get_model("address", "UserAddress").objects.get_or_create(
                user=User.objects.get(username="resident"), first_name="陈娜", line1="朝阳街 8 号", state="山东省",
                country_id="CN")[0].pk,
            "assisted_order": get_model("order", "Order").objects.filter(
                delivery__placed_by__username="worker").first().number,
            "event": EventPage.objects.get(community__slug="chaoyangjie", slug="market").pk,
            "other_event": EventPage.objects.get(community__slug="yunhu", slug="market").pk,
            "reservation": Reservation.objects.filter(event__community__slug="chaoyangjie").first().pk,
            "team": VolunteerTeam.objects.filter(community__slug="chaoyangjie").first().pk,
            "volunteer_request": VolunteerRequest.objects.create(
                team=VolunteerTeam.objects.filter(community__slug="chaoyangjie").first(),
                user=User.objects.get(username="resident"), name="陈娜", mobile="13805310001").pk,
            "other_volunteer_request": VolunteerRequest.objects.create(
                team=VolunteerTeam.objects.filter(community__slug="yunhu").first(),
                user=User.objects.get(username="resident"), name="陈娜", mobile="13805310001").pk,
        }
    yield values
    with django_db_blocker.unblock():
        VolunteerRequest.objects.filter(pk__in=[values["volunteer_request"], values["other_volunteer_request"]]).delete()
        order.delete()
        pending.delete()
        live.moderators.remove(moderator)
        User.objects.filter(username__in=["host_2", "moderator"]).delete()


def client_for(role):
    client = Client()
    if role != "anonymous":
        request = RequestFactory().post("/accounts/login/")
        assert client.login(request=request, username=USERNAMES[role], password=DEMO_PASSWORD), role
    return client


def outcome(response):
    """What a user would notice: the page, a trip to the login page, a refusal, or an action carried out."""
    code = response.status_code
    if code == 302:
        location = response["Location"]
        return LOGIN if "/login/" in location and "next=" in location else DONE
    return {200: OK, 403: DENIED, 404: GONE, 405: NOT_ALLOWED}.get(code, str(code))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_the_expected_answer_from_every_private_url(world, role):
    client = client_for(role)
    wrong = []
    for route, method, template, expected in TABLE:
        path = template.format(**world)
        response = getattr(client, method)(path)
        got = outcome(response)
        want = expected[role]
        # a refusal may come as 403 or as the login page for someone already signed in
        if got != want and not (want == DENIED and got == LOGIN and role != "anonymous"):
            wrong.append(f"{method.upper()} {path}: {got}, expected {want}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def reached(client, swept_routes):
    """Which of these routes the client could open (GET) or act on (POST), with every parameter set to 1."""
    opened = []
    for route in swept_routes:
        path = concrete(route)
        for method in ("get", "post"):
            if outcome(getattr(client, method)(path)) in (OK, DONE):
                opened.append(f"{method.upper()} {path}")
    return opened


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["resident", "secretary_a", "host"])
def test_operator_areas_refuse_everyone_else_on_every_route(world, role):
    swept = [route for route in routes()
             if route.startswith(OPERATOR_AREAS) and not PUBLIC_IN_OPERATOR_AREAS.match(route)]
    opened = reached(client_for(role), swept)
    assert not opened, f"{role} reached: {opened[:20]}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "resident", "host", "secretary_a"])
def test_the_dashboard_refuses_every_route_to_everyone_but_staff(world, role):
    swept = [route for route in routes() if route.startswith("dashboard/")
             and not route.startswith(("dashboard/login", "dashboard/logout"))]
    opened = reached(client_for(role), swept)
    assert not opened, f"{role} reached: {opened[:20]}"


@pytest.mark.django_db
def test_anonymous_visitors_reach_no_private_storefront_page(world):
    client = Client()
    opened = [route for route in routes() if route.startswith("shop/") and not STOREFRONT_PUBLIC.match(route)
              and route not in ("shop/", "shop/silver/")
              and outcome(client.get(concrete(route))) == OK]
    assert not opened, opened


def test_every_route_is_in_the_table_or_a_swept_area():
    covered = {route for route, *_ in TABLE}
    swept = OPERATOR_AREAS + ("dashboard/", "shop/")
    missing = [route for route in routes() if route not in covered and not route.startswith(swept)]
    assert not missing, f"add these routes to TABLE in tests/test_permissions.py: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["worker", "editor", "operator"])
def test_no_one_who_may_check_residents_in_checks_their_own_reservation_in(world, role):
    """Every role that opens an event's check-in is refused its own reservation's code (no points to self)."""
    from datetime import timedelta

    from django.utils import timezone

    from cms import points
    from cms.reservations import reserve

    now = timezone.now()
    event = EventPage.objects.get(pk=world["event"])
    EventPage.objects.filter(pk=event.pk).update(start=now + timedelta(minutes=30), end=now + timedelta(hours=2),
                                                 reservation_opens=None, reservation_closes=None)
    event.refresh_from_db()
    me = User.objects.get(username=USERNAMES[role])
    mine = reserve(event, me, "本人", "13805319999", 1)
    before = points.balance(me)
    html = client_for(role).post(f"/events/{event.pk}/checkin/", {"code": mine.code}).content.decode()
    assert "不能给自己签到" in html
    mine.refresh_from_db()
    assert mine.checked_in_at is None and points.balance(me) == before
