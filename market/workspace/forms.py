"""The workspace's forms: a product with its origin in one page, a new batch, a review decision."""

import re
from decimal import Decimal

from django import forms
from django.db.models import Count
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from market import listings
from market.images import CheckedPhotosField
from market.models import Batch, Certification, ProductOrigin
from market.partner.models import StockBelowOrders

Category = get_model("catalogue", "Category")


def text_of(html):
    """A stored description (clean HTML of paragraphs) back as the text a secretary typed."""
    text = re.sub(r"</p>\s*<p>", "\n\n", html or "")
    text = re.sub(r"<br\s*/?>", "\n", text)
    return re.sub(r"<[^>]+>", "", text).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").strip()


def not_in_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("日期不能晚于今天"))
    return day


class ProductForm(forms.Form):
    """What a buyer sees of a product: name, kind, words, price, stock and photos."""

    village = forms.ModelChoiceField(label=_("帮扶村"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("商品名称"), max_length=120,
                            help_text=_("写清楚品种和规格，例如：普罗旺斯西红柿 5斤装"))
    category = forms.ModelChoiceField(label=_("分类"), queryset=None, empty_label=_("请选择分类"),
                                      error_messages={"required": _("请选择分类")})
    for_elders = forms.BooleanField(label=_("推荐进银发专柜（适合长辈）"), required=False)
    description = forms.CharField(label=_("商品介绍"), widget=forms.Textarea(attrs={"rows": 5}),
                                  max_length=4000, help_text=_("口感、种植方式、适合谁，说给买的人听"))
    price = forms.DecimalField(label=_("售价（元）"), min_value=Decimal("0.01"), max_value=Decimal("99999"),
                               decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
    num_in_stock = forms.IntegerField(label=_("库存（件）"), min_value=0, max_value=100000,
                                      widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    photos = CheckedPhotosField(label=_("商品照片"), required=False,
                                help_text=_("可直接用手机拍照，最多 6 张，每张不超过 10 MB"))
    remove_photos = forms.MultipleChoiceField(label=_("删除照片"), required=False,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, villages, product=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.product = product
        self.fields["village"].queryset = villages
        # the 银发专柜 is a recommendation (below) and 积分兑换 the operators' shelf: neither is a village's to choose
        self.fields["category"].queryset = Category.get_root_nodes().exclude(slug__in=listings.extra_shelves())
        if product is None and not self.is_bound and len(villages) == 1:
            # a new product starts in the village's usual category (vegetables for the tomato village), if any
            usual = (self.fields["category"].queryset.filter(product__stockrecords__partner__village__in=villages)
                     .annotate(products=Count("product", distinct=True)).order_by("-products", "pk").first())
            if usual is not None:
                self.initial.setdefault("category", usual.pk)
        images = list(product.images.all()) if product else []
        if images:
            self.fields["remove_photos"].choices = [(str(image.pk), image) for image in images]
        else:
            del self.fields["remove_photos"]
        if product is not None or len(villages) == 1:
            del self.fields["village"]  # a product stays with its village; one village needs no choice
        else:
            self.fields["photos"].required = True

    def clean_num_in_stock(self):
        value = self.cleaned_data["num_in_stock"]
        record = self.product.stockrecords.first() if self.product else None
        if record and (record.num_allocated or 0) > value:
            raise forms.ValidationError(str(StockBelowOrders(record.num_allocated)))
        return value

    def clean(self):
        data = super().clean()
        if self.product is not None and "photos" in data:
            kept = len(self.fields["remove_photos"].choices) - len(data.get("remove_photos", [])) \
                if "remove_photos" in self.fields else 0
            if kept + len(data["photos"]) == 0:
                self.add_error("photos", _("至少要有一张商品照片"))
        return data

    @property
    def description_html(self):
        return linebreaks(self.cleaned_data["description"], autoescape=True)


class OriginForm(forms.ModelForm):
    """Where it comes from: producer, place, season, pack size, keeping, certification."""

    class Meta:
        model = ProductOrigin
        fields = ["producer", "place", "season", "pack_size", "shelf_life", "storage",
                  "certification", "certificate_number"]
        labels = {"producer": _("生产者或合作社")}
        help_texts = {"producer": _("例如：大庙屯村西红柿种植合作社"), "place": _("例如：市中区陡沟街道大庙屯村"),
                      "shelf_life": _("例如：常温 7 天"), "storage": _("例如：阴凉通风处，避免挤压")}

    def clean(self):
        data = super().clean()
        if data.get("certification", Certification.NONE) != Certification.NONE and not data.get("certificate_number"):
            self.add_error("certificate_number", _("有认证时请填写证书编号"))
        return data


class BatchForm(forms.ModelForm):
    """A new harvest of a product; it gets its own trace code."""

    class Meta:
        model = Batch
        fields = ["harvest_date", "quantity"]
        widgets = {"harvest_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_harvest_date(self):
        return not_in_future(self.cleaned_data["harvest_date"])


class ReviewForm(forms.Form):
    """An operator's decision on a submitted product or price."""

    decision = forms.ChoiceField(choices=[("approve", _("通过")), ("reject", _("不通过"))])
    reason = forms.CharField(label=_("不通过的原因"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("请写明不通过的原因，第一书记会看到"))
        return data
