"""
Rich text from people who are not operators (product descriptions that first
secretaries write, notifications that carry a host's session title) is cleaned
with an allow-list sanitiser, nh3 (Ammonia), both when it is saved and when it
is printed: formatting and links survive, scripts, event handlers, styles and
``javascript:`` URLs do not.
"""

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small",
    "h2", "h3", "h4", "h5", "blockquote", "ul", "ol", "li", "span", "div",
    "table", "thead", "tbody", "tr", "th", "td", "hr", "a",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_html(html):
    """The HTML with only the allowed tags, attributes and link schemes left."""
    if not html:
        return ""
    return nh3.clean(
        str(html), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES, link_rel="noopener noreferrer nofollow",
    )


def clean_description(sender, instance, **kwargs):
    """pre_save for products and categories: store only clean HTML."""
    instance.description = clean_html(instance.description)
