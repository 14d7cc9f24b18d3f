from django import forms
from django.contrib.auth import get_user_model
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from market.images import CheckedImageField
from market.models import Community

from .models import LineupItem, LiveSession

Product = get_model("catalogue", "Product")


def styled(form):
    """The site's look for every input (Bootstrap's form-control), checkboxes aside."""
    for field in form.fields.values():
        if not isinstance(field.widget, (forms.CheckboxInput, forms.ClearableFileInput)):
            field.widget.attrs.setdefault("class", "form-control")
        if isinstance(field.widget, forms.ClearableFileInput):
            field.widget.attrs.setdefault("class", "form-control-file")


class LiveSessionForm(forms.ModelForm):
    """A host schedules a session: title, cover, community (one of theirs), village, start."""

    class Meta:
        model = LiveSession
        fields = ["title", "description", "cover", "community", "village", "scheduled_start"]
        field_classes = {"cover": CheckedImageField}
        widgets = {
            "scheduled_start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, host, **kwargs):
        super().__init__(*args, **kwargs)
        communities = Community.objects.all() if host.is_staff else host.hosted_communities.all()
        self.fields["community"].queryset = communities
        self.fields["community"].empty_label = None
        self.fields["scheduled_start"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["cover"].help_text = _("JPG 或 PNG 图片，用作直播封面")
        styled(self)


class LineupItemForm(forms.ModelForm):
    class Meta:
        model = LineupItem
        fields = ["product", "position", "live_price"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.browsable().order_by("title")
        self.fields["position"].widget.attrs.update(inputmode="numeric", min=1)
        self.fields["live_price"].widget.attrs.update(inputmode="decimal", step="0.01", min="0.01")
        styled(self)

    def clean_live_price(self):
        price = self.cleaned_data.get("live_price")
        if price is not None and price <= 0:
            raise forms.ValidationError(_("直播价必须大于 0"))
        return price


LineupFormSet = inlineformset_factory(
    LiveSession, LineupItem, form=LineupItemForm, extra=3, can_delete=True,
)


class ModeratorForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"].strip(), is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("找不到这个用户"))
        return user
