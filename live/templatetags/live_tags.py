from django import template

from live.services import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user):
    """A user's name as other residents see it (胡奶奶), or their username."""
    return _display_name(user) or ""
