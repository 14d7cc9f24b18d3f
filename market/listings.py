"""
上架审核: what an operator must approve before residents see it.

A product a village adds is hidden (Oscar's ``is_public`` off, so the
catalogue, search, village pages, the 银发专柜 and live lineups all skip it)
until an operator approves it. On a public product, a price change of more
than ``SHOP_PRICE_REVIEW_PERCENT`` is held as the listing's proposed price,
and the old price stays on sale until it is approved; a new category is held
the same way (the category decides, say, how much of the price 积分 may pay). Each decision tells the
village's secretaries, with the reason when it is a rejection.
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from notices.notify import notify

from .models import Listing

SILVER_CATEGORY_SLUG = "silver"  # 银发专柜


def needs_price_review(old, new):
    """True when the change from ``old`` to ``new`` is larger than the review threshold."""
    if not old:
        return False
    return abs(Decimal(new) - old) / old * 100 > settings.SHOP_PRICE_REVIEW_PERCENT


def queue(product, proposed_price=None, proposed_category=None):
    """Put the product (or its proposed price and category) in the operators' queue, forgetting any
    earlier decision."""
    Listing.objects.update_or_create(product=product, defaults={
        "status": Listing.Status.PENDING, "reason": "", "proposed_price": proposed_price,
        "proposed_category": proposed_category,
        "submitted_at": timezone.now(), "decided_at": None, "decided_by": None,
    })


def submit_new(product):
    """A newly added (or reworked, still unapproved) product waits for review, hidden."""
    product.is_public = False
    product.save(update_fields=["is_public", "date_updated"])
    queue(product)


def change_public(stockrecord, new_price, new_category):
    """A secretary's price and category for a public product: a small price change applies at once; a
    large one, and any change of category, wait for review while the product sells as it was. Returns
    True when something was held."""
    product = stockrecord.product
    held_price = new_price if needs_price_review(stockrecord.price, new_price) else None
    current = shelf(product)
    held_category = new_category if current is None or new_category.pk != current.pk else None
    if held_price is None and stockrecord.price != new_price:
        stockrecord.price = new_price
        stockrecord.save(update_fields=["price", "date_updated"])
    if held_price is None and held_category is None:
        return False
    pending = Listing.objects.filter(product=product, status=Listing.Status.PENDING).first()
    if held_price is None and pending and new_price == stockrecord.price:
        held_price = pending.proposed_price  # a price still waiting is not forgotten by a new category
    queue(product, proposed_price=held_price, proposed_category=held_category)
    return True


def extra_shelves():
    """Categories a product is put on besides its own: the 银发专柜 (a village recommends it) and
    积分兑换 (the operators' shelf)."""
    return [SILVER_CATEGORY_SLUG, settings.POINTS_EXCHANGE_CATEGORY_SLUG]


def shelf(product):
    """The product's own category (蜂蜜, 蔬菜 …)."""
    return product.categories.exclude(slug__in=extra_shelves()).first()


def set_shelf(product, category):
    ProductCategory = get_model("catalogue", "ProductCategory")
    ProductCategory.objects.filter(product=product).exclude(category__slug__in=extra_shelves()).exclude(
        category=category).delete()
    ProductCategory.objects.get_or_create(product=product, category=category)


def pending():
    return (Listing.objects.filter(status=Listing.Status.PENDING)
            .select_related("product", "product__origin")
            .prefetch_related("product__images", "product__stockrecords__partner__village"))


def approve(listing, operator):
    """Make the product public (and its proposed price the price)."""
    with transaction.atomic():
        listing = Listing.objects.select_for_update().select_related("product").get(pk=listing.pk)
        if listing.status != Listing.Status.PENDING:
            return False
        product = listing.product
        if listing.proposed_price is not None:
            for record in product.stockrecords.all():
                record.price = listing.proposed_price
                record.save(update_fields=["price", "date_updated"])
        if listing.proposed_category is not None:
            set_shelf(product, listing.proposed_category)
        product.is_public = True
        product.save()  # also re-indexes it for search
        listing.status, listing.proposed_price, listing.reason = Listing.Status.APPROVED, None, ""
        listing.proposed_category = None
        listing.decided_at, listing.decided_by = timezone.now(), operator
        listing.save()
    tell_secretaries(listing, _("「%(title)s」审核通过，已在共富超市上架") % {"title": product.title})
    return True


def reject(listing, operator, reason):
    """Keep the product as it is (hidden if new, at its old price if public) and say why."""
    with transaction.atomic():
        listing = Listing.objects.select_for_update().select_related("product").get(pk=listing.pk)
        if listing.status != Listing.Status.PENDING:
            return False
        listing.status, listing.proposed_price, listing.reason = Listing.Status.REJECTED, None, reason
        listing.proposed_category = None
        listing.decided_at, listing.decided_by = timezone.now(), operator
        listing.save()
    tell_secretaries(listing, _("「%(title)s」审核未通过") % {"title": listing.product.title},
                     _("原因：%(reason)s") % {"reason": reason})
    return True


def tell_secretaries(listing, subject, text=""):
    """An in-site notification (and email) for the product's secretaries, once per decision."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(partners__stockrecords__product=listing.product,
                                            is_active=True).distinct()
    url = reverse("workspace:product-edit", args=[listing.product_id])
    notify("listing", f"listing:{listing.pk}:{listing.decided_at.timestamp():.0f}", users, subject, text, url=url,
           link=_("去村务工作台查看"))
