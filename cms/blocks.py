"""
StreamField blocks of the community, news, event and village pages.

Most are content an editor writes; ``ServicesBlock`` and ``EventsBlock`` pull
live data (the community's service directory and its coming events) from the
page they sit on, so a page never goes stale when a phone number changes.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

# Editors' rich text: a short list of features, so pasted markup cannot bring anything else in.
RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class ImageBlock(blocks.StructBlock):
    """A picture with its caption."""

    image = ImageChooserBlock(label=_("图片"))
    caption = blocks.CharBlock(label=_("图片说明"), required=False, max_length=120)

    class Meta:
        icon = "image"
        label = _("图片")
        template = "cms/blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    """Something a resident, a volunteer or a first secretary said."""

    text = blocks.TextBlock(label=_("引语"), max_length=400)
    attribution = blocks.CharBlock(label=_("说话的人"), required=False, max_length=60)

    class Meta:
        icon = "openquote"
        label = _("引语")
        template = "cms/blocks/quote_block.html"


class ButtonBlock(blocks.StructBlock):
    """A call to action: a page of the site or an address."""

    label = blocks.CharBlock(label=_("按钮文字"), max_length=30)
    page = blocks.PageChooserBlock(label=_("站内页面"), required=False)
    url = blocks.URLBlock(label=_("或网址"), required=False)

    class Meta:
        icon = "link"
        label = _("按钮")
        template = "cms/blocks/button_block.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError({"page": blocks.BlockValidationError(_("请选择页面或填写网址"))})
        return value


def service_categories():
    """The directory's categories (政务, 医疗 …), read when the editor opens the block."""
    from .models import CommunityService

    return CommunityService.Category.choices


def _page_community(parent_context):
    page = (parent_context or {}).get("page")
    return getattr(getattr(page, "specific", page), "community", None)


class ServicesBlock(blocks.StructBlock):
    """The page's community's service directory, live (optionally one category)."""

    heading = blocks.CharBlock(label=_("标题"), default=_("便民服务"), max_length=40)
    category = blocks.ChoiceBlock(label=_("只显示这一类"), required=False, choices=service_categories)

    class Meta:
        icon = "list-ul"
        label = _("便民服务目录")
        template = "cms/blocks/services_block.html"

    def get_context(self, value, parent_context=None):
        from .models import CommunityService

        ctx = super().get_context(value, parent_context)
        community = _page_community(parent_context)
        services = CommunityService.objects.filter(community=community) if community else CommunityService.objects.none()
        if value.get("category"):
            services = services.filter(category=value["category"])
        ctx["services"] = services
        return ctx


class EventsBlock(blocks.StructBlock):
    """The page's community's next events, live."""

    heading = blocks.CharBlock(label=_("标题"), default=_("近期活动"), max_length=40)
    count = blocks.IntegerBlock(label=_("显示几场"), default=3, min_value=1, max_value=12)

    class Meta:
        icon = "date"
        label = _("近期活动")
        template = "cms/blocks/events_block.html"

    def get_context(self, value, parent_context=None):
        from .models import EventPage

        ctx = super().get_context(value, parent_context)
        community = _page_community(parent_context)
        events = EventPage.objects.live().public().filter(end__gte=timezone.now()).order_by("start")
        ctx["events"] = events.filter(community=community)[: value["count"]] if community else events.none()
        return ctx


class StoryBlock(blocks.StreamBlock):
    """The body of a community, news, event or village page."""

    heading = blocks.CharBlock(label=_("小标题"), max_length=80, form_classname="title",
                               template="cms/blocks/heading_block.html")
    paragraph = blocks.RichTextBlock(label=_("段落"), features=RICH_TEXT_FEATURES)
    image = ImageBlock()
    quote = QuoteBlock()
    button = ButtonBlock()
    services = ServicesBlock()
    events = EventsBlock()

    class Meta:
        block_counts = {}
