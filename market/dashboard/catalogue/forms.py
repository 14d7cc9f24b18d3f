"""Oscar's dashboard catalogue forms, with every image upload checked (market.images)."""

from oscar.apps.dashboard.catalogue.forms import *  # noqa: F401,F403
from oscar.apps.dashboard.catalogue import forms as oscar_forms

from market.images import CheckedImageField


class ProductImageForm(oscar_forms.ProductImageForm):
    class Meta(oscar_forms.ProductImageForm.Meta):
        field_classes = {"original": CheckedImageField}


class CategoryForm(oscar_forms.CategoryForm):
    class Meta(oscar_forms.CategoryForm.Meta):
        field_classes = {"image": CheckedImageField}


class StockRecordForm(oscar_forms.StockRecordForm):
    """Stock never set below the units orders already hold (the database refuses it as well)."""

    def clean_num_in_stock(self):
        from django import forms

        from market.partner.models import StockBelowOrders

        value = self.cleaned_data.get("num_in_stock")
        held = (self.instance.num_allocated or 0) if self.instance.pk else 0
        if value is not None and value < held:
            raise forms.ValidationError(str(StockBelowOrders(held)))
        return value
