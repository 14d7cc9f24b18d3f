from django import forms
from django.utils.translation import gettext_lazy as _


class SearchInput(forms.TextInput):
    input_type = "search"


class SearchForm(forms.Form):
    """The header's search box (Oscar's context processor puts one on every page)."""

    q = forms.CharField(
        required=False, max_length=100, label=_("搜索"),
        widget=SearchInput({"placeholder": _("搜商品、村名或拼音"), "class": "form-control",
                            "autocomplete": "off", "enterkeyhint": "search"}),
    )
    category = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())
