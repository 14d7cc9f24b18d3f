from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """What search matches for one product, lower-cased: its words, and their pinyin as tokens."""

    product = models.OneToOneField("catalogue.Product", on_delete=models.CASCADE, primary_key=True,
                                   related_name="search_entry")
    # title, village and categories: what the product *is* (searched first)
    key = models.TextField(default="")
    # the same, its producer and place, and the description (searched when nothing matches by key)
    text = models.TextField()
    # " fengmi fm sangzi sz ...": each word's full pinyin and initials, space-led for prefix matching
    pinyin = models.TextField()

    class Meta:
        verbose_name = _("搜索索引")


class SynonymGroup(models.Model):
    """Words that mean the same to a buyer (番茄 / 西红柿): searching one finds the others."""

    words = models.CharField(_("同义词"), max_length=255, unique=True,
                             help_text=_("用空格或逗号隔开，例如：番茄 西红柿 洋柿子"))

    class Meta:
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")
        ordering = ["words"]

    def __str__(self):
        return self.words

    def clean(self):
        terms = split_words(self.words or "")
        if len(set(terms)) < 2:
            raise ValidationError({"words": _("至少写两个词，用空格隔开，例如：土豆 马铃薯")})
        self.words = " ".join(dict.fromkeys(terms))

    @property
    def terms(self):
        return split_words(self.words)


def split_words(value):
    return [w for w in value.replace("，", " ").replace(",", " ").replace("、", " ").lower().split() if w]
