"""
Load the demo data: communities and pickup points, villages with their first
secretaries and produce, the 银发专柜, live sessions and the Wagtail page tree.

Names and facts come from the news articles in shared/seeds (天桥区's 共富超市,
朝阳街社区's 「Can!制锦」 幸福直播间, 陡沟街道's 大庙屯村 tomatoes …).
Running it again changes nothing that is already there.
"""

import io
import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image, ImageDraw, ImageFont

from cms.models import CommunityIndexPage, CommunityPage, HomePage, VillageIndexPage, VillagePage
from live.models import HOSTS_GROUP, ChatMessage, LineupItem, LiveSession
from market.models import (Batch, Certification, Community, Listing, OrderDelivery, PickupPoint, ProductOrigin,
                           Resident, Village)
from market.search.index import rebuild as rebuild_search
from market.search.models import SynonymGroup
from market.views import SILVER_CATEGORY_SLUG

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Country = get_model("address", "Country")

DEMO_PASSWORD = "gongfu2026"
SECRETARIES_GROUP = "第一书记"

COMMUNITIES = [
    # slug, name, district, street, pickup point, address, intro
    ("chaoyangjie", "朝阳街社区", "天桥区", "制锦市街道", "朝阳街社区党群服务中心自提点",
     "天桥区制锦市街道朝阳街社区党群服务中心一楼",
     "「Can!制锦」幸福直播间所在地，共富超市开设了银发专柜。"),
    ("wuyingtan", "无影潭社区", "天桥区", "无影山街道", "无影潭社区服务站自提点",
     "天桥区无影山街道无影潭社区党群服务中心",
     "与专业机构合作，错峰共用党群服务中心开展儿童托管。"),
    ("mingquanchunxiao", "名泉春晓社区", "天桥区", "北园街道", "名泉春晓社区自提点",
     "天桥区名泉春晓社区小区广场东侧服务站",
     "睦邻市集划分政策宣传、法律咨询、便民服务、就业帮扶等 11 个区域。"),
    ("yunhu", "云湖社区", "高新区", "孙村街道", "云湖社区党群服务中心自提点",
     "高新区孙村街道云湖社区党群服务中心",
     "推行“服务空间最大化”，老人在活动室排练戏曲，孩子在阅览室读书。"),
]

VILLAGES = [
    # slug, name, location, story, secretary username, products
    ("sangzidian", "桑梓店村", "天桥区桑梓店街道",
     "桑梓的本土农产品，纯天然无添加。第一书记带着村里的蜂农把蜂蜜卖进了城里社区。",
     "secretary",
     [("桑梓土蜂蜜 500g", "蜂蜜", "68.00", True), ("桑梓槐花蜜 1kg", "蜂蜜", "118.00", True),
      ("桑梓枣花蜜 500g", "蜂蜜", "58.00", False), ("蜂巢蜜 400g", "蜂蜜", "88.00", False),
      ("蜂蜜柚子茶 1kg", "蜂蜜", "45.00", True), ("桑梓小米 2.5kg", "粮油", "39.90", True),
      ("桑梓绿豆 1kg", "粮油", "19.80", False), ("石磨香油 500ml", "粮油", "49.00", False)]),
    ("damiaotun", "大庙屯村", "市中区陡沟街道",
     "陡沟街道“红盟兴业”党建联合体培植的大庙普罗旺斯西红柿，沙瓤多汁，进入采摘季。",
     "secretary_damiaotun",
     [("普罗旺斯西红柿 5斤装", "蔬菜", "39.80", True), ("普罗旺斯西红柿 10斤礼盒", "蔬菜", "69.00", False),
      ("樱桃番茄 3斤", "蔬菜", "29.90", False), ("大庙屯黄瓜 3斤", "蔬菜", "15.80", True),
      ("西红柿酱 2瓶", "粮油", "26.00", False), ("农家土鸡蛋 30枚", "粮油", "45.00", True),
      ("大庙屯青椒 2斤", "蔬菜", "9.90", False), ("新鲜茄子 3斤", "蔬菜", "12.80", False)]),
    ("xinping", "新平村", "市中区陡沟街道",
     "新平果蔬大棚一年四季不断茬，“强村+弱村”结对共建，集体经济收入稳步增长。",
     "secretary_xinping",
     [("大棚草莓 3斤", "水果", "59.00", False), ("大棚甜瓜 2个", "水果", "25.80", False),
      ("水果黄瓜 3斤", "蔬菜", "16.90", False), ("新平生菜 2斤", "蔬菜", "8.80", False),
      ("大棚西葫芦 3斤", "蔬菜", "10.80", False), ("彩椒组合 2斤", "蔬菜", "18.00", False),
      ("软糯南瓜 1个", "蔬菜", "12.00", True)]),
    ("xiaozhuang", "小庄村", "市中区陡沟街道",
     "小庄采摘研学基地，带孩子认识庄稼；地里刚摘的时令果蔬直供社区。",
     "secretary_xiaozhuang",
     [("小庄红富士苹果 5斤", "水果", "35.00", False), ("小庄黄桃 3斤", "水果", "29.80", False),
      ("小庄葡萄 2斤", "水果", "26.00", False), ("鲜玉米 6穗", "蔬菜", "18.00", False),
      ("小庄地瓜 5斤", "蔬菜", "19.90", False), ("采摘研学体验券", "水果", "50.00", False),
      ("核桃 1kg", "粮油", "42.00", False), ("小庄马铃薯 5斤", "蔬菜", "16.80", False)]),
]

# A product's own words (the village's story is on its page already)
DESCRIPTIONS = {
    "蜂蜜": "蜂农自家蜂场取的蜜，不兑水、不加糖，冬天结晶是正常现象。",
    "蔬菜": "当天采摘，第二天送到社区自提点，新鲜看得见。",
    "水果": "树上自然成熟再摘，挑过个头，磕碰包退。",
    "粮油": "村里合作社自产自加工，小批量生产，吃得放心。",
}

# What buyers call the same produce; operators add more under 共富超市 › 搜索同义词 in /cms/.
SYNONYMS = ["番茄 西红柿 洋柿子", "土豆 马铃薯 洋芋", "地瓜 红薯 番薯", "玉米 苞米 棒子", "香油 芝麻油", "蜂蜜 蜜"]

# village: producer, place, season, certification, certificate number (from the seed articles)
ORIGINS = {
    "sangzidian": ("桑梓店村养蜂专业合作社", "天桥区桑梓店街道桑梓店村", "每年 4–9 月取蜜",
                   Certification.GREEN, "LB-18-2401031501"),
    "damiaotun": ("大庙屯村“红盟兴业”西红柿种植合作社", "市中区陡沟街道大庙屯村", "每年 5–7 月采摘季",
                  Certification.GREEN, "LB-15-2405021802"),
    "xinping": ("新平村果蔬大棚合作社", "市中区陡沟街道新平村", "大棚一年四季不断茬", Certification.NONE, ""),
    "xiaozhuang": ("小庄采摘研学基地", "市中区陡沟街道小庄村", "时令果蔬，随摘随发", Certification.NONE, ""),
}
# category: shelf life, storage, days since harvest
KEEPING = {
    "蜂蜜": ("24 个月", "常温避光，密封保存", 20),
    "蔬菜": ("冷藏 5–7 天", "0–8℃ 冷藏，避免挤压", 1),
    "水果": ("冷藏 3–5 天", "冷藏保存，尽快食用", 2),
    "粮油": ("12 个月", "阴凉干燥处，开封后密封", 30),
}
# products waiting for the operators: (village, title, category, price, status, reason)
REVIEW_QUEUE = [
    ("sangzidian", "桑梓荆条蜜 500g", "蜂蜜", "62.00", Listing.Status.PENDING, ""),
    ("sangzidian", "蜂王浆 100g", "蜂蜜", "128.00", Listing.Status.REJECTED,
     "蜂王浆属于保健食品，请补充食品生产许可证编号后再提交"),
]
PRICE_CHANGE = ("damiaotun-03", Decimal("29.90"), Decimal("45.00"))  # 樱桃番茄 3斤: a +50% price waits for review
# demo buyers' orders, so the secretaries' order and packing lists have content:
# (buyer, name, community of the pickup point, [(sku, quantity)], status, placed by a worker for them)
PLACED, AT_PICKUP, COLLECTED, CANCELLED = "placed", "at_pickup", "collected", "cancelled"
DEMO_ORDERS = [
    ("buyer_li", ("李", "阿姨"), "chaoyangjie", [("sangzidian-01", 2), ("damiaotun-01", 1)], PLACED, None),
    ("buyer_wang", ("王", "大爷"), "chaoyangjie", [("sangzidian-02", 1)], PLACED, None),
    ("buyer_zhao", ("赵", "女士"), "wuyingtan", [("damiaotun-01", 2), ("sangzidian-06", 1)], PLACED, None),
    ("buyer_sun", ("孙", "老师"), "mingquanchunxiao", [("sangzidian-01", 1), ("xinping-07", 1)], PLACED, None),
    ("buyer_li", ("李", "阿姨"), "chaoyangjie", [("sangzidian-05", 1)], AT_PICKUP, None),
    ("buyer_wang", ("王", "大爷"), "chaoyangjie", [("damiaotun-04", 1)], COLLECTED, None),
    ("buyer_zhao", ("赵", "女士"), "wuyingtan", [("xiaozhuang-01", 1)], CANCELLED, None),
    # 代下单: the community worker ordered for 胡奶奶 (the elder account)
    ("elder", ("胡", "奶奶"), "chaoyangjie", [("sangzidian-06", 1), ("damiaotun-06", 1)], AT_PICKUP, "worker"),
]

CATEGORY_COLOURS = {
    "蜂蜜": ("#f6b73c", "#8a5a00"),
    "蔬菜": ("#63b35a", "#1f5a1a"),
    "水果": ("#ef6a5b", "#7a1a10"),
    "粮油": ("#d9b98a", "#6b4a1c"),
}

USERS = [
    # username, name (last, first), superuser, staff
    ("admin", ("平台", "管理员"), True, True),
    ("host", ("朝阳街", "主理人"), False, False),
    ("secretary", ("桑梓店村", "第一书记"), False, False),
    ("resident", ("陈", "娜"), False, False),
    ("elder", ("胡", "奶奶"), False, False),
    ("pickup", ("朝阳街自提点", "值班员"), False, False),
    ("worker", ("刘", "晓梅"), False, False),  # 朝阳街社区's community worker: 代下单 for elders
]
# residents' communities and mobile numbers (their pickup point is chosen for them at checkout)
RESIDENTS = [("resident", "chaoyangjie", "13805310001"), ("elder", "chaoyangjie", "13805310002")]
MOBILES = {username: mobile for username, _community, mobile in RESIDENTS}


def cjk_font(size):
    """A CJK-capable font if the machine has one; product images work without it."""
    for path in (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    ):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return None


def product_image(title, category, seed):
    """A simple generated picture of the product: its colour, a fruit-like shape, its name."""
    light, dark = CATEGORY_COLOURS.get(category, ("#cccccc", "#333333"))
    rnd = random.Random(seed)
    img = Image.new("RGB", (480, 480), light)
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        x, y, r = rnd.randint(40, 440), rnd.randint(40, 300), rnd.randint(30, 90)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=dark if rnd.random() < 0.3 else "#ffffff")
    draw.rectangle((0, 360, 480, 480), fill=dark)
    font = cjk_font(40)
    if font:
        draw.text((24, 395), title[:10], fill="#ffffff", font=font)
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Refused under production settings."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo is for demo and development sites only; refused under DJANGO_ENV=production.")
        with transaction.atomic():
            Country.objects.update_or_create(
                iso_3166_1_a2="CN",
                defaults={"iso_3166_1_a3": "CHN", "iso_3166_1_numeric": "156", "printable_name": "中国",
                          "name": "中华人民共和国", "is_shipping_country": True, "display_order": 1},
            )
            users = self.seed_users()
            communities = self.seed_communities()
            communities["chaoyangjie"].hosts.add(users["host"])
            communities["chaoyangjie"].pickup_points.first().staff.add(users["pickup"])
            communities["chaoyangjie"].workers.add(users["worker"])
            for username, community, mobile in RESIDENTS:
                Resident.objects.get_or_create(user=users[username], defaults={
                    "community": communities[community], "mobile": mobile})
            villages = self.seed_villages()
            self.seed_products(villages)
            self.seed_review_queue(villages)
            self.seed_live(users, communities, villages)
            self.seed_pages(communities, villages)
            self.seed_orders(villages)
            for words in SYNONYMS:
                SynonymGroup.objects.get_or_create(words=words)
            rebuild_search()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {Community.objects.count()} communities, {Village.objects.count()} villages, "
            f"{Product.objects.count()} products, {LiveSession.objects.count()} live sessions. "
            f"Accounts: admin, host, secretary, secretary_damiaotun, pickup, worker, resident, elder "
            f"(password {DEMO_PASSWORD})."
        ))

    # --- people -------------------------------------------------------------
    def user(self, username, last, first, superuser=False, staff=False):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@gongfu.local", "last_name": last, "first_name": first,
                      "is_superuser": superuser, "is_staff": staff},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def seed_users(self):
        users = {u: self.user(u, *name, superuser=su, staff=st) for u, name, su, st in USERS}
        Group.objects.get_or_create(name=HOSTS_GROUP)[0].user_set.add(users["host"])
        return users

    # --- places -------------------------------------------------------------
    def seed_communities(self):
        communities = {}
        for slug, name, district, street, point, address, _intro in COMMUNITIES:
            community, _ = Community.objects.update_or_create(
                slug=slug, defaults={"name": name, "district": district, "street": street}
            )
            PickupPoint.objects.get_or_create(
                community=community, name=point,
                defaults={"address": address, "opening_hours": "每天 9:00–19:00", "phone": "0531-8888" + str(len(communities) + 1000)},
            )
            communities[slug] = community
        return communities

    def seed_villages(self):
        # first secretaries work in /village/; Oscar's dashboard is for staff (earlier demos granted it)
        dashboard_access = Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
        secretaries = Group.objects.get_or_create(name=SECRETARIES_GROUP)[0]
        secretaries.permissions.remove(dashboard_access)
        villages = {}
        for slug, name, location, story, username, _products in VILLAGES:
            if username == "secretary":
                secretary = self.user("secretary", "桑梓店村", "第一书记")
            else:
                secretary = self.user(username, name, "第一书记")
            secretaries.user_set.add(secretary)
            partner, _ = Partner.objects.get_or_create(code=slug, defaults={"name": name})
            partner.users.add(secretary)
            village, _ = Village.objects.update_or_create(
                slug=slug, defaults={"partner": partner, "name": name, "location": location},
            )
            villages[slug] = village
        return villages

    # --- produce ------------------------------------------------------------
    def category(self, name, slug):
        existing = Category.objects.filter(slug=slug).first()
        return existing or Category.add_root(name=name, slug=slug)

    def seed_products(self, villages):
        product_class, _ = ProductClass.objects.get_or_create(
            slug="produce", defaults={"name": "农产品", "requires_shipping": True, "track_stock": True}
        )
        silver = self.category("银发专柜", SILVER_CATEGORY_SLUG)
        categories = {
            name: self.category(name, slug)
            for name, slug in (("蜂蜜", "honey"), ("蔬菜", "vegetables"), ("水果", "fruit"), ("粮油", "grain-oil"))
        }
        for v_slug, v_name, _loc, _story, _user, products in VILLAGES:
            village = villages[v_slug]
            for index, (title, cat_name, price, for_elders) in enumerate(products, start=1):
                sku = f"{v_slug}-{index:02d}"
                product = Product.objects.filter(stockrecords__partner_sku=sku).first()
                if product is None:
                    product = Product.objects.create(
                        product_class=product_class, title=title, slug=sku, structure=Product.STANDALONE,
                        description=f"{v_name}出品。{DESCRIPTIONS[cat_name]}",
                    )
                    StockRecord.objects.create(
                        product=product, partner=village.partner, partner_sku=sku,
                        price=Decimal(price), price_currency="CNY", num_in_stock=200,
                    )
                ProductCategory.objects.get_or_create(product=product, category=categories[cat_name])
                if for_elders:
                    ProductCategory.objects.get_or_create(product=product, category=silver)
                if not product.images.exists():
                    image = ProductImage(product=product, caption=title, display_order=0)
                    image.original.save(f"{sku}.jpg", ContentFile(product_image(title, cat_name, sku)), save=False)
                    image.save()
                self.seed_origin(product, v_slug, cat_name, index)
                Listing.objects.get_or_create(product=product, defaults={
                    "status": Listing.Status.APPROVED, "decided_at": timezone.now()})

    def seed_origin(self, product, village_slug, category, index):
        producer, place, season, certification, number = ORIGINS[village_slug]
        shelf_life, storage, days_ago = KEEPING[category]
        words = product.title.split()
        ProductOrigin.objects.get_or_create(product=product, defaults={
            "producer": producer, "place": place, "season": season, "shelf_life": shelf_life, "storage": storage,
            "pack_size": words[-1] if len(words) > 1 else "", "certification": certification,
            "certificate_number": number,
        })
        if not product.batches.exists():
            Batch.objects.create(product=product, quantity=200,
                                 harvest_date=timezone.localdate() - timedelta(days=days_ago + index % 3))

    def seed_review_queue(self, villages):
        """One new product waiting for review, one rejected with its reason, one big price change."""
        product_class = ProductClass.objects.get(slug="produce")
        for v_slug, title, category, price, status, reason in REVIEW_QUEUE:
            village = villages[v_slug]
            sku = f"{v_slug}-review-{status}"
            if StockRecord.objects.filter(partner_sku=sku).exists():
                continue
            product = Product.objects.create(
                product_class=product_class, title=title, structure=Product.STANDALONE, is_public=False,
                description=f"<p>{village.name}新上架：{title}。</p>")
            StockRecord.objects.create(product=product, partner=village.partner, partner_sku=sku,
                                       price=Decimal(price), price_currency="CNY", num_in_stock=50)
            ProductCategory.objects.get_or_create(product=product, category=Category.objects.get(name=category,
                                                                                                  depth=1))
            image = ProductImage(product=product, caption=title, display_order=0)
            image.original.save(f"{sku}.jpg", ContentFile(product_image(title, category, sku)), save=False)
            image.save()
            self.seed_origin(product, v_slug, category, 0)
            Listing.objects.create(product=product, status=status, reason=reason,
                                   decided_at=timezone.now() if reason else None)
        sku, old, new = PRICE_CHANGE
        Listing.objects.filter(product__stockrecords__partner_sku=sku, product__stockrecords__price=old,
                               status=Listing.Status.APPROVED, proposed_price=None).update(
            status=Listing.Status.PENDING, proposed_price=new, submitted_at=timezone.now())

    # --- orders -------------------------------------------------------------
    def seed_orders(self, villages):
        """A few pickup orders through Oscar's own order creator (so each gets its delivery and code)."""
        from oscar.core.loading import get_class

        from market.checkout.forms import PAY_AT_PICKUP
        from market.shipping.repository import Pickup

        if OrderDelivery.objects.exists():
            return
        Basket = get_model("basket", "Basket")
        ShippingAddress = get_model("order", "ShippingAddress")
        Source = get_model("payment", "Source")
        SourceType = get_model("payment", "SourceType")
        OrderCreator = get_class("order.utils", "OrderCreator")
        OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
        Selector = get_class("partner.strategy", "Selector")
        pay_at_pickup, _ = SourceType.objects.get_or_create(code=PAY_AT_PICKUP, defaults={"name": "到店付款"})
        tomorrow = timezone.localdate() + timedelta(days=1)
        for n, (username, name, community, items, status, placed_by) in enumerate(DEMO_ORDERS):
            user = self.user(username, *name)
            point = PickupPoint.objects.filter(community__slug=community).first()
            basket = Basket.objects.create(owner=user)
            basket.strategy = Selector().strategy(user=user)
            for sku, quantity in items:
                basket.add_product(Product.objects.get(stockrecords__partner_sku=sku), quantity)
            method = Pickup(point)
            charge = method.calculate(basket)
            total = OrderTotalCalculator().calculate(basket, charge)
            address = ShippingAddress.objects.create(
                first_name="".join(name), line1=point.address,
                phone_number="+86" + MOBILES.get(username, f"139{n:08d}"),
                country=Country.objects.get(iso_3166_1_a2="CN"))
            order = OrderCreator().place_order(basket=basket, total=total, shipping_method=method,
                                               shipping_charge=charge, user=user, shipping_address=address)
            basket.submit()
            source = Source.objects.create(order=order, source_type=pay_at_pickup, currency=total.currency,
                                           amount_allocated=total.incl_tax, reference=order.number)
            self.move_order(order, status, source, tomorrow, placed_by)

    def move_order(self, order, status, source, tomorrow, placed_by):
        """Take a demo order to its status the way the site would (cancelled ones give their stock back)."""
        from market.orders import cancel

        delivered = status in (AT_PICKUP, COLLECTED)
        OrderDelivery.objects.filter(order=order).update(
            deliver_on=timezone.localdate() - timedelta(days=1) if delivered else tomorrow,
            placed_by=get_user_model().objects.filter(username=placed_by).first() if placed_by else None)
        if status == CANCELLED:
            cancel(order.pk)
        for step in ((settings.ORDER_STATUS_AT_PICKUP,) if status == AT_PICKUP else
                     (settings.ORDER_STATUS_AT_PICKUP, settings.ORDER_STATUS_COLLECTED) if status == COLLECTED else ()):
            for line in order.lines.all():
                line.set_status(step)
            order.set_status(step)
        if status == COLLECTED:
            source.debit(reference="自提点收款")
            OrderDelivery.objects.filter(order=order).update(
                collected_at=timezone.now() - timedelta(hours=3),
                handed_over_by=get_user_model().objects.filter(username="pickup").first())

    # --- live ---------------------------------------------------------------
    def seed_live(self, users, communities, villages):
        now = timezone.localtime()
        friday = (now + timedelta(days=(4 - now.weekday()) % 7 or 7)).replace(hour=19, minute=0, second=0, microsecond=0)
        chaoyang = communities["chaoyangjie"]
        sessions = [
            ("桑梓蜂蜜助农直播", LiveSession.Status.SCHEDULED, friday, villages["sangzidian"],
             "家人们看好了，这款蜂蜜是产自桑梓的本土农产品，纯天然无添加。周五晚七点，朝阳街社区直播间不见不散。"),
            ("Can!制锦 · 普罗旺斯西红柿采摘季", LiveSession.Status.LIVE, now - timedelta(minutes=20), villages["damiaotun"],
             "大庙屯村普罗旺斯西红柿进入采摘季，第一书记带您看大棚、尝鲜果。"),
            ("银发专柜好物分享会", LiveSession.Status.ENDED, now - timedelta(days=3), villages["sangzidian"],
             "超市里新开了银发专柜，里面都是适合老年人的商品，价格还划算。"),
        ]
        for title, status, start, village, description in sessions:
            session, created = LiveSession.objects.get_or_create(
                title=title,
                defaults={"host": users["host"], "community": chaoyang, "village": village, "status": status,
                          "scheduled_start": start, "description": description},
            )
            if created and status != LiveSession.Status.SCHEDULED:
                session.started_at = start
                if status == LiveSession.Status.ENDED:
                    session.ended_at = start + timedelta(hours=1)
                session.save()
            self.seed_lineup(session, village)
            if created and status == LiveSession.Status.LIVE:
                session.pinned = session.lineup.first()
                session.announcement = "满 99 元包邮，朝阳街社区党群服务中心自提点周六开放"
                session.save(update_fields=["pinned", "announcement"])
            if created and status != LiveSession.Status.SCHEDULED:
                for user, text in ((users["elder"], "蜂蜜是今年的新蜜吗？"), (users["resident"], "已下单，周末去朝阳街自提！"),
                                   (users["host"], "欢迎大家，银发专柜的商品都可以到社区自提点取货。")):
                    ChatMessage.objects.create(session=session, user=user, text=text)

    def seed_lineup(self, session, village):
        """The village's first three products, each at a live price about 15% under the shop's."""
        records = village.partner.stockrecords.select_related("product").order_by("partner_sku")[:3]
        for position, record in enumerate(records, start=1):
            LineupItem.objects.get_or_create(
                session=session, product=record.product,
                defaults={"position": position,
                          "live_price": (record.price * Decimal("0.85")).quantize(Decimal("0.1"))},
            )

    # --- Wagtail pages ------------------------------------------------------
    def seed_pages(self, communities, villages):
        from wagtail.models import Page, Site

        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            for old in Page.objects.filter(depth=2).exclude(content_type__model="homepage"):
                if old.slug == "home":
                    old.slug = "welcome-old"
                    old.save()
            home = root.add_child(instance=HomePage(
                title="共富超市 · 幸福直播间", slug="home",
                intro="帮扶村好物进社区，社区主理人带您直播选购，长辈也能轻松用。",
            ))
            site = Site.objects.filter(is_default_site=True).first()
            if site:
                site.root_page = home
                site.site_name = "共富超市 · 幸福直播间"
                site.save()
            else:
                Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                                    site_name="共富超市 · 幸福直播间")
            Page.objects.filter(depth=2).exclude(pk=home.pk).delete()

        community_index = CommunityIndexPage.objects.first() or home.add_child(instance=CommunityIndexPage(
            title="社区", slug="communities", intro="社区党群服务中心、自提点与社区活动。"))
        village_index = VillageIndexPage.objects.first() or home.add_child(instance=VillageIndexPage(
            title="帮扶村", slug="villages", intro="第一书记帮村、企业团体联村、各方力量助村。"))

        for slug, name, _district, _street, _point, address, intro in COMMUNITIES:
            community = communities[slug]
            if not CommunityPage.objects.filter(community=community).exists():
                community_index.add_child(instance=CommunityPage(
                    title=name, slug=slug, community=community, intro=intro, service_centre=address))
        for slug, name, location, story, _user, _products in VILLAGES:
            village = villages[slug]
            if not VillagePage.objects.filter(village=village).exists():
                # the first sentence is the page's one-line intro (shown on product pages), the rest its body
                first, _sep, rest = story.partition("。")
                village_index.add_child(instance=VillagePage(
                    title=name, slug=slug, village=village, intro=first + "。",
                    body=f"<p>{rest}</p>" if rest else ""))
