"""
村务工作台 views. Every query starts from the villages whose partner lists the
signed-in user (read from the database on every request), so a secretary
reaches another village's product, batch or delivery only as a 404.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from oscar.core.loading import get_model

from market import delivery, listings
from market.images import resized_photo
from market.models import Batch, PickupPoint, Village
from market.qr import qr_data_uri
from market.views import SILVER_CATEGORY_SLUG

from market.partner.models import StockBelowOrders

from . import labels
from .forms import BatchForm, OriginForm, ProductForm, text_of

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")


class SecretaryMixin(LoginRequiredMixin):
    """For a village's first secretaries only; ``self.villages`` are theirs."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.villages = Village.objects.filter(partner__users=request.user, partner__users__is_active=True) \
            .select_related("partner").distinct()
        if not self.villages.exists():
            if request.user.is_staff and request.method == "GET" and request.resolver_match.url_name == "home":
                return redirect("workspace:review")
            raise PermissionDenied
        self.partners = [village.partner for village in self.villages]
        return super().dispatch(request, *args, **kwargs)

    def products(self):
        """Every product of the secretary's villages, public or not."""
        return Product.objects.filter(stockrecords__partner__in=self.partners).distinct()


class HomeView(SecretaryMixin, TemplateView):
    """The village's products with status, price, stock and this week's sales; the next deliveries."""

    template_name = "market/workspace/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        products = (self.products().select_related("listing", "origin")
                    .prefetch_related("images", "stockrecords").order_by("-date_created"))
        sales = delivery.week_sales(self.partners)
        ctx["rows"] = [(product, next(iter(product.stockrecords.all()), None), sales.get(product.pk, {}))
                       for product in products]
        ctx["week_units"] = sum(row.get("units") or 0 for row in sales.values())
        ctx["week_takings"] = sum(row.get("takings") or 0 for row in sales.values())
        ctx["villages"] = self.villages
        ctx["upcoming"] = [g for g in delivery.delivery_groups(self.partners, since=timezone.localdate())
                           if not g.is_delivered][:6]
        return ctx


class ProductFormView(SecretaryMixin, TemplateView):
    """Add or edit a product with its photos and origin in one form."""

    template_name = "market/workspace/product_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.product = None

    def get_product(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.products().select_related("listing", "origin"), pk=self.kwargs["pk"])

    def forms(self, data=None, files=None):
        product = self.product
        record = product.stockrecords.first() if product else None
        initial = {}
        if product:
            listing = getattr(product, "listing", None)
            category = (listing.proposed_category if listing and listing.is_category_change else None) \
                or listings.shelf(product)
            initial = {"title": product.title, "description": text_of(product.description),
                       "category": category.pk if category else None,
                       "for_elders": product.categories.filter(slug=SILVER_CATEGORY_SLUG).exists(),
                       "price": record.price if record else None,
                       "num_in_stock": record.num_in_stock if record else 0}
        origin = getattr(product, "origin", None) if product else None
        forms = {
            "form": ProductForm(data, files, villages=self.villages, product=product, initial=initial),
            "origin_form": OriginForm(data, instance=origin, prefix="origin"),
        }
        if product is None:
            forms["batch_form"] = BatchForm(data, prefix="batch")
        return forms

    def get(self, request, *args, **kwargs):
        self.product = self.get_product()
        return self.render_to_response(self.get_context_data(**self.forms()))

    def post(self, request, *args, **kwargs):
        self.product = self.get_product()
        forms = self.forms(request.POST, request.FILES)
        if not all(form.is_valid() for form in forms.values()):
            messages.error(request, _("有几项没有填好，请看下面标红的地方"))
            return self.render_to_response(self.get_context_data(**forms))
        try:
            with transaction.atomic():
                held = self.save(forms)
        except StockBelowOrders as short:  # orders took units between the form's check and the save
            forms["form"].add_error("num_in_stock", str(short))
            messages.error(request, _("有几项没有填好，请看下面标红的地方"))
            return self.render_to_response(self.get_context_data(**forms))
        if self.product_was_new:
            messages.success(request, _("「%(title)s」已提交审核，运营人员通过后就会在共富超市上架")
                             % {"title": self.product.title})
        elif held:
            messages.warning(request, _("改价超过 %(n)d%% 或换了分类，要等运营人员审核后生效，现在仍按原样销售")
                             % {"n": settings.SHOP_PRICE_REVIEW_PERCENT})
        else:
            messages.success(request, _("已保存"))
        return redirect("workspace:product-edit", self.product.pk)

    def save(self, forms):
        data = forms["form"].cleaned_data
        self.product_was_new = self.product is None
        if self.product_was_new:
            product_class, _created = ProductClass.objects.get_or_create(
                slug="produce", defaults={"name": "农产品", "requires_shipping": True, "track_stock": True})
            product = Product.objects.create(product_class=product_class, title=data["title"],
                                             description=forms["form"].description_html, is_public=False,
                                             structure=Product.STANDALONE)
            village = data.get("village") or self.villages[0]
            record = StockRecord.objects.create(product=product, partner=village.partner,
                                                partner_sku=f"{village.slug}-{product.pk}", price=data["price"],
                                                price_currency="CNY", num_in_stock=data["num_in_stock"])
        else:
            product = self.product
            product.title = data["title"]
            product.description = forms["form"].description_html
            product.save()
            record = product.stockrecords.first()
            if not record.set_stock(data["num_in_stock"]):
                raise StockBelowOrders(record.num_allocated)
        self.product = product
        origin = forms["origin_form"].save(commit=False)
        origin.product = product
        origin.save()
        if self.product_was_new or not product.is_public:
            listings.set_shelf(product, data["category"])  # a public product's new shelf waits for review
        self.recommend_for_elders(product, data["for_elders"])
        for position, upload in enumerate(data["photos"], start=product.images.count()):
            name, content = resized_photo(upload)
            image = ProductImage(product=product, caption=product.title, display_order=position)
            image.original.save(name, content, save=False)
            image.save()
        if data.get("remove_photos"):
            product.images.filter(pk__in=data["remove_photos"]).delete()
        if self.product_was_new:
            batch = forms["batch_form"].save(commit=False)
            batch.product = product
            batch.save()
            listings.submit_new(product)
            return False
        if not product.is_public:
            record.price = data["price"]
            record.save(update_fields=["price", "date_updated"])
            listings.submit_new(product)  # a reworked submission goes back into the queue
            return False
        return listings.change_public(record, data["price"], data["category"])

    @staticmethod
    def recommend_for_elders(product, for_elders):
        silver = Category.objects.filter(slug=SILVER_CATEGORY_SLUG).first()
        if silver and for_elders:
            ProductCategory.objects.get_or_create(product=product, category=silver)
        elif silver:
            ProductCategory.objects.filter(product=product, category=silver).delete()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["product"] = self.product
        if self.product:
            ctx["listing"] = getattr(self.product, "listing", None)
            ctx["batches"] = self.product.batches.all()
            ctx["new_batch_form"] = BatchForm(prefix="batch", initial={"harvest_date": timezone.localdate()})
        return ctx


class BatchCreateView(SecretaryMixin, View):
    """Register a new harvest of one of the village's products, then print its labels."""

    def post(self, request, pk):
        product = get_object_or_404(self.products(), pk=pk)
        form = BatchForm(request.POST, prefix="batch")
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, errors[0])
            return redirect("workspace:product-edit", product.pk)
        batch = form.save(commit=False)
        batch.product = product
        batch.save()
        messages.success(request, _("新批次已登记，溯源码 %(code)s") % {"code": batch.code})
        return redirect("workspace:labels", batch.code)


class LabelsView(SecretaryMixin, TemplateView):
    """An A4 sheet of QR labels for one batch; each QR opens its public trace page."""

    template_name = "market/workspace/labels.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        batch = get_object_or_404(Batch.objects.select_related("product", "product__origin")
                                  .filter(product__in=self.products()), code=self.kwargs["code"])
        ctx["batch"] = batch
        ctx["trace_url"] = labels.trace_url(batch)
        ctx["qr"] = qr_data_uri(ctx["trace_url"])
        ctx["labels"] = range(labels.PER_SHEET)
        return ctx


class OrdersView(SecretaryMixin, TemplateView):
    """The village's order lines by delivery day and pickup point, from a week ago on."""

    template_name = "market/workspace/orders.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["groups"] = delivery.delivery_groups(self.partners, since=timezone.localdate() - timedelta(days=7))
        ctx["tomorrow"] = timezone.localdate() + timedelta(days=1)
        return ctx


class DeliveryMixin(SecretaryMixin):
    def group(self):
        try:
            day = date.fromisoformat(self.kwargs["day"])
        except ValueError:
            raise Http404
        point = get_object_or_404(PickupPoint, pk=self.kwargs["point"])
        group = delivery.group_for(self.partners, day, point)
        if group is None:
            raise Http404
        return group


class PackingListView(DeliveryMixin, TemplateView):
    """What to pack for one pickup point on one day: totals, then each order with its pickup code."""

    template_name = "market/workspace/packing.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["group"] = self.group()
        ctx["villages"] = self.villages
        return ctx


class DeliveredView(DeliveryMixin, View):
    """已送达自提点: the village's lines for this point and day are there; buyers are told."""

    def post(self, request, day, point):
        group = self.group()
        orders = delivery.mark_delivered(self.partners, group.deliver_on, group.point)
        if orders:
            messages.success(request, _("已标记送达 %(point)s，%(n)d 张订单的买家会收到取货通知")
                             % {"point": group.point.name, "n": len(orders)})
        else:
            messages.info(request, _("这一批已经标记过送达了"))
        return redirect("workspace:orders")
