from django import forms
from django.utils.translation import gettext_lazy as _

PAY_AT_PICKUP = "pay-at-pickup"


class PaymentMethodForm(forms.Form):
    """How the resident will pay for the order."""

    method = forms.ChoiceField(
        label=_("付款方式"),
        choices=[(PAY_AT_PICKUP, _("到店付款（自提或收货时付款）"))],
        initial=PAY_AT_PICKUP,
        widget=forms.RadioSelect,
    )
