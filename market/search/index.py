"""Keeping each product's SearchEntry current (on save, and in bulk with ``manage.py rebuild_search``)."""

from oscar.core.loading import get_model

from market.models import ProductOrigin

from .models import SearchEntry
from .text import index_fields

Product = get_model("catalogue", "Product")


def _related(queryset):
    return queryset.select_related("origin").prefetch_related("stockrecords__partner__village", "categories")


def entry_for(product):
    """The unsaved SearchEntry of a product, from its title, village, origin, categories and description."""
    others = [c.name for c in product.categories.all()]
    for record in product.stockrecords.all():
        village = getattr(record.partner, "village", None)
        others.append(village.name if village else record.partner.name)
    try:
        origin = product.origin
    except ProductOrigin.DoesNotExist:
        origin = None
    # the producer and place say where it comes from, not what it is (大庙屯's co-operative is named for its
    # 西红柿, and sells cucumbers too): searched with the description
    about = " ".join([origin.producer, origin.place]) if origin else ""
    key, text, pinyin = index_fields(product.title, [o for o in others if o], about + " " + (product.description or ""))
    return SearchEntry(product=product, key=key, text=text, pinyin=pinyin)


def index_product(product_id):
    product = _related(Product.objects.filter(pk=product_id)).first()
    if product is None:
        return
    entry = entry_for(product)
    SearchEntry.objects.update_or_create(product=product, defaults={"key": entry.key, "text": entry.text,
                                                                    "pinyin": entry.pinyin})


def rebuild(queryset=None, batch=500):
    """Re-index the products (all by default) in batches; returns how many."""
    queryset = _related(queryset if queryset is not None else Product.objects.all()).order_by("pk")
    count = 0
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = list(queryset.filter(pk__in=ids[start:start + batch]))
        SearchEntry.objects.filter(product__in=chunk).delete()
        SearchEntry.objects.bulk_create([entry_for(p) for p in chunk])
        count += len(chunk)
    return count
