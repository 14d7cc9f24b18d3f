from django import template
from django.utils.safestring import mark_safe

from market.richtext import clean_html

register = template.Library()


@register.filter
def user_html(value):
    """Print HTML written by a secretary, host or resident: sanitised, never as given."""
    return mark_safe(clean_html(value))  # noqa: S308 (clean_html leaves only allow-listed markup)
