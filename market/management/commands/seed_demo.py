"""
Load the demo data: communities and pickup points, villages with their first
secretaries and produce, the 银发专柜, live sessions and the Wagtail page tree.

Names and facts come from the news articles in shared/seeds (天桥区's 共富超市,
朝阳街社区's 「Can!制锦」 幸福直播间, 陡沟街道's 大庙屯村 tomatoes …).
Running it again changes nothing that is already there.
"""

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
from wagtail.rich_text import RichText

from accounts.models import VerifiedMobile
from cms.demo import seed_community_home
from cms.demo_points import seed_points
from cms.models import CommunityIndexPage, CommunityPage, HomePage, VillageIndexPage, VillagePage
from live.demo import seed_replay
from live.models import HOSTS_GROUP, ChatMessage, LineupItem, LiveSession
from market.models import Batch, Community, Listing, PickupPoint, ProductOrigin, Resident, Village
from market.search.index import rebuild as rebuild_search
from market.search.models import SynonymGroup
from market.images import photo_name
from market.views import SILVER_CATEGORY_SLUG

from ..demo_data import (COMMUNITIES, DEMO_PASSWORD, DESCRIPTIONS, KEEPING, MOBILES, ORIGINS, PRICE_CHANGE,
                         RESIDENTS, REVIEW_QUEUE, SECRETARIES_GROUP, SECRETARY_NAMES, SYNONYMS, USERS,
                         VILLAGES)
from ..demo_images import product_image
from ..demo_orders import seed_orders

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Country = get_model("address", "Country")


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
            users = self.users = self.seed_users()
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
            seed_orders(self.user)
            for words in SYNONYMS:
                SynonymGroup.objects.get_or_create(words=words)
            rebuild_search()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {Community.objects.count()} communities, {Village.objects.count()} villages, "
            f"{Product.objects.count()} products, {LiveSession.objects.count()} live sessions. "
            f"Accounts: admin, host, secretary, secretary_damiaotun, pickup, worker, editor, resident, elder "
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
        for username, number in MOBILES.items():
            VerifiedMobile.objects.get_or_create(user=users[username],
                                                 defaults={"number": number, "verified_at": timezone.now()})
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
            secretary = self.user(username, *SECRETARY_NAMES[username])
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
            image.original.save(photo_name(), ContentFile(product_image(title, category, sku)), save=False)
            image.save()
            self.seed_origin(product, v_slug, category, 0)
            Listing.objects.create(product=product, status=status, reason=reason,
                                   decided_at=timezone.now() if reason else None)
        sku, old, new = PRICE_CHANGE
        Listing.objects.filter(product__stockrecords__partner_sku=sku, product__stockrecords__price=old,
                               status=Listing.Status.APPROVED, proposed_price=None).update(
            status=Listing.Status.PENDING, proposed_price=new, submitted_at=timezone.now())

    # --- orders -------------------------------------------------------------
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
            if created and status == LiveSession.Status.ENDED:
                seed_replay(session, users)
            elif created and status != LiveSession.Status.SCHEDULED:
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
    def wagtail_roots(self):
        """Wagtail's default locale, root collection and root page, as its migrations make them (a
        flushed database, as a transactional test starts from, has lost them)."""
        from django.conf import settings
        from wagtail.coreutils import get_supported_content_language_variant
        from wagtail.models import Collection, Locale, Page

        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        if Collection.get_first_root_node() is None:
            Collection.add_root(name="Root")
        return Page.add_root(instance=Page(title="Root", slug="root", live=True))

    def seed_pages(self, communities, villages):
        from wagtail.models import Page, Site

        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node() or self.wagtail_roots()
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
                    body=[("paragraph", RichText(f"<p>{rest}</p>"))] if rest else []))
        seed_community_home(communities, villages, self.users)
        seed_points(communities, self.users)
