"""
Chinese for Wagtail's search: both database backends (SQLite's FTS5 and
PostgreSQL's full text) split words at spaces and punctuation, so a Chinese
sentence would be one long "word". Pages and snippets are also indexed under
``search_words``: their text cut into words by jieba, as the shop's search
does (``market.search.text``), and queries are cut the same way
(``cms.search``).
"""

from django.utils.html import strip_tags
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from market.search.text import words


class SegmentedText:
    """Index the fields named in ``segmented_fields`` as jieba's words too."""

    segmented_fields = ("title", "intro", "body")
    segmented_search_field = index.SearchField("search_words")

    def search_words(self):
        parts = []
        for name in self.segmented_fields:
            value = getattr(self, name, None)
            if not value:
                continue
            field = self._meta.get_field(name)
            if isinstance(field, StreamField):
                parts.extend(str(text) for text in field.get_searchable_content(value))
            elif isinstance(field, RichTextField):
                parts.append(strip_tags(str(value)))
            else:
                parts.append(str(value))
        return " ".join(words(" ".join(parts), for_search=True))
