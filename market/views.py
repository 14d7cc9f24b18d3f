"""Shop pages that Oscar has no view for: the landing page, the 银发专柜 and the trace pages."""

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from .cards import card_queryset
from .listings import SILVER_CATEGORY_SLUG
from .models import Village

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

ELDER_COOKIE = "elder_mode"


def silver_products():
    """Products in the 银发专柜 category (and its sub-categories)."""
    category = Category.objects.filter(slug=SILVER_CATEGORY_SLUG).first()
    if category is None:
        return Product.objects.none()
    categories = category.get_descendants_and_self()
    return card_queryset(Product.objects.browsable().filter(categories__in=categories).distinct())


class ShopHomeView(TemplateView):
    """共富超市 landing page: the 银发专柜 and every village's produce, village by village."""

    template_name = "market/shop_home.html"
    per_village = 4

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        villages = list(Village.objects.select_related("page").order_by("name"))
        # each village's newest few, in one query however many products there are (a window per partner)
        newest = (Product.objects.browsable().filter(stockrecords__partner__village__isnull=False)
                  .annotate(shelf=F("stockrecords__partner_id"),
                            place=Window(RowNumber(), partition_by=F("stockrecords__partner_id"),
                                         order_by=[F("date_created").desc(), F("pk").desc()]))
                  .filter(place__lte=self.per_village))
        by_partner = {village.partner_id: [] for village in villages}
        for product in card_queryset(newest).order_by("shelf", "place"):
            by_partner.setdefault(product.shelf, []).append(product)
        ctx["village_sections"] = [(village, by_partner[village.partner_id]) for village in villages]
        ctx["silver_products"] = list(silver_products()[:4])
        return ctx


class SilverCounterView(TemplateView):
    """银发专柜: goods chosen for older residents, shown large and simple."""

    template_name = "market/silver_counter.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["products"] = silver_products()
        return ctx


class ElderModeView(View):
    """Switch 长辈版 (elder mode) on or off; remembered in a cookie for a year."""

    def post(self, request):
        enable = request.POST.get("elder") == "1"
        target = request.POST.get("next") or "/"
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = "/"
        response = HttpResponseRedirect(target)
        if enable:
            response.set_cookie(ELDER_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax",
                                secure=request.is_secure())
        else:
            response.delete_cookie(ELDER_COOKIE)
        return response


class TraceView(TemplateView):
    """溯源码: a batch's public trace page (no login, no personal data); unknown codes get a kind 404."""

    template_name = "market/trace.html"

    def get(self, request, code):
        from django.db.models import F
        from django.db.models.functions import Coalesce, Now

        from .models import Batch

        batch = (Batch.objects.select_related("product", "product__origin")
                 .filter(code=code.strip().upper(), product__is_public=True).first())
        if batch is None:
            return self.response_class(request, "market/trace_unknown.html", {"code": code[:32]}, status=404)
        record = batch.product.stockrecords.select_related("partner__village__page").first()
        village = getattr(record.partner, "village", None) if record else None
        own_staff = request.user.is_authenticated and (
            request.user.is_staff or (record is not None and record.partner.users.filter(pk=request.user.pk).exists()))
        if not own_staff:
            # one UPDATE, so scans at the same moment are all counted
            Batch.objects.filter(pk=batch.pk).update(scans=F("scans") + 1,
                                                     first_scanned_at=Coalesce("first_scanned_at", Now()))
            batch.refresh_from_db(fields=["scans", "first_scanned_at"])
        return self.render_to_response({
            "batch": batch, "product": batch.product, "origin": getattr(batch.product, "origin", None),
            "village": village, "own_staff": own_staff,
            # names in Chinese order (family name first); never an account's username or contact details
            "secretaries": [f"{u.last_name}{u.first_name}" for u in village.secretaries if u.last_name or u.first_name]
            if village else [],
        })


class ReceivedView(LoginRequiredMixin, View):
    """确认收货: the buyer says a shipped postal order has arrived (their own orders only)."""

    def post(self, request, number):
        from . import postal

        try:
            postal.confirm_received(request.user, number)
        except postal.Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("已确认收货，谢谢！"))
        return redirect("customer:order", order_number=number)


class AddressDefaultView(LoginRequiredMixin, View):
    """Make one of the user's addresses the default, by POST (replaces Oscar's GET link at the same URL)."""

    def post(self, request, pk, action):
        from django.http import Http404
        from django.shortcuts import get_object_or_404
        from oscar.core.loading import get_model

        if action not in ("default_for_shipping", "default_for_billing"):
            raise Http404
        address = get_object_or_404(get_model("address", "UserAddress"), user=request.user, pk=pk)
        setattr(address, f"is_{action}", True)
        address.save()
        messages.success(request, _("已设为默认地址"))
        return redirect("customer:address-list")
