"""
积分's demo: the 积分兑换 shelf (a few everyday vegetables points can pay for
in full), the points every checked-in demo reservation earned, and a history
for the resident and 胡奶奶 of 朝阳街社区 (a market check-in, volunteer hours the
community worker confirmed) so that the account page and checkout have
something to show. Running it again adds nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from oscar.core.loading import get_model

from .models import EventPage, PointsEntry, Reservation

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")

EXCHANGE_SKUS = ["damiaotun-07", "xinping-04", "xinping-05", "xinping-07"]  # 青椒, 生菜, 西葫芦, 南瓜
VOLUNTEERING = {  # username: [(days ago, hours, what)]
    "resident": [(20, 4, "敬老院探访"), (12, 3, "楼道清洁"), (5, 2, "睦邻市集志愿者")],
    "elder": [(9, 2, "银龄读报队")],
}


def seed_points(communities, users):
    _exchange_shelf()
    for reservation in (Reservation.objects.filter(checked_in_at__isnull=False, user__isnull=False,
                                                   event__points__gt=0, points_entries__isnull=True)
                        .select_related("event", "checked_in_by")):
        PointsEntry.objects.create(user_id=reservation.user_id, amount=reservation.event.points,
                                   reason=PointsEntry.Reason.EVENT, reservation=reservation,
                                   community_id=reservation.event.community_id, note=reservation.event.title,
                                   created_at=reservation.checked_in_at)
    chaoyang = communities["chaoyangjie"]
    worker = users.get("worker")
    market = EventPage.objects.filter(community=chaoyang, slug="market-last").first()
    for username, hours_done in VOLUNTEERING.items():
        user = users.get(username)
        if user is None or PointsEntry.objects.filter(user=user).exists():
            continue
        if market is not None:
            came = market.start + timedelta(minutes=30)
            reservation = Reservation.objects.create(
                event=market, user=user, name=f"{user.last_name}{user.first_name}",
                mobile=user.resident.mobile if hasattr(user, "resident") else "", places=1,
                status=Reservation.Status.CONFIRMED, created_at=market.start - timedelta(days=1),
                checked_in_at=came, checked_in_by=worker)
            PointsEntry.objects.create(user=user, amount=market.points, reason=PointsEntry.Reason.EVENT,
                                       reservation=reservation, community=chaoyang, note=market.title,
                                       created_by=worker, created_at=came)
        for days, hours, what in hours_done:
            PointsEntry.objects.create(user=user, amount=hours * settings.POINTS_PER_VOLUNTEER_HOUR,
                                       reason=PointsEntry.Reason.VOLUNTEER, hours=hours, note=what,
                                       community=chaoyang, created_by=worker,
                                       created_at=timezone.now() - timedelta(days=days))


def _exchange_shelf():
    shelf = Category.objects.filter(slug=settings.POINTS_EXCHANGE_CATEGORY_SLUG).first() or Category.add_root(
        name="积分兑换", slug=settings.POINTS_EXCHANGE_CATEGORY_SLUG,
        description="参加社区活动、志愿服务攒下的积分，可以全额兑换这里的商品，社区自提点取货。")
    for product in Product.objects.filter(stockrecords__partner_sku__in=EXCHANGE_SKUS):
        ProductCategory.objects.get_or_create(product=product, category=shelf)
