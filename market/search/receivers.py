"""Re-index a product whenever something search reads about it changes."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from oscar.core.loading import get_model

from market.models import ProductOrigin, Village

from .index import index_product, rebuild


def product_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_product(instance.pk)


def part_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.product_id:
        index_product(instance.product_id)


# What search reads of a stock record is its partner (the village's name): not its counts or price,
# which every checkout, cancellation and hand-over changes.
STOCKRECORD_INDEXED = {"partner", "partner_id", "product", "product_id"}


def stockrecord_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if update_fields is not None and not STOCKRECORD_INDEXED & set(update_fields):
        return
    part_saved(sender, instance, raw=raw)


def part_deleted(sender, instance, **kwargs):
    # after the commit: when the whole product is being deleted there is nothing left to index
    product_id = instance.product_id
    transaction.on_commit(lambda: index_product(product_id))


def categories_changed(sender, instance, action, reverse=False, **kwargs):
    if action.startswith("post_") and not reverse:
        index_product(instance.pk)


def village_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        Product = get_model("catalogue", "Product")
        rebuild(Product.objects.filter(stockrecords__partner_id=instance.partner_id).distinct())


def connect():
    Product = get_model("catalogue", "Product")
    post_save.connect(product_saved, sender=Product, dispatch_uid="search-product")
    StockRecord = get_model("partner", "StockRecord")
    post_save.connect(stockrecord_saved, sender=StockRecord, dispatch_uid="search-StockRecord")
    for model in (ProductOrigin, get_model("catalogue", "ProductCategory")):
        post_save.connect(part_saved, sender=model, dispatch_uid=f"search-{model.__name__}")
    for model in (StockRecord, ProductOrigin, get_model("catalogue", "ProductCategory")):
        post_delete.connect(part_deleted, sender=model, dispatch_uid=f"search-del-{model.__name__}")
    m2m_changed.connect(categories_changed, sender=Product.categories.through, dispatch_uid="search-categories")
    post_save.connect(village_saved, sender=Village, dispatch_uid="search-village")
