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
