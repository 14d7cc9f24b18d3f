"""Chinese words and pinyin for search: what a product is indexed under and what a query asks for.

jieba segments the text (蜂蜜柚子茶 → 蜂蜜 / 柚子 / 茶), pypinyin spells each word
in full and by initials (蜂蜜 → fengmi, fm), and synonym groups widen a query
word to the others in its group (番茄 → 西红柿; fanqie → 番茄 → 西红柿).
"""

import logging
import re
from functools import lru_cache

from django.db.models import Q
from django.utils.html import strip_tags

HAN = re.compile(r"[\u3400-\u9fff]")
WORD = re.compile(r"[\w\u3400-\u9fff]")
ASCII_WORD = re.compile(r"^[a-z0-9]+$")


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words(text, for_search=False):
    """The words of a text, lower-cased, without spaces and punctuation."""
    jieba = _jieba()
    cut = jieba.cut_for_search if for_search else jieba.cut
    return [w for w in (t.strip().lower() for t in cut(text)) if w and WORD.search(w)]


def spellings(word):
    """A Chinese word's pinyin in full and by initials ('' parts for anything but Han characters)."""
    from pypinyin import Style, lazy_pinyin

    if not HAN.search(word):
        return []
    full = "".join(lazy_pinyin(word))
    initials = "".join(lazy_pinyin(word, style=Style.FIRST_LETTER))
    return [s for s in {full, initials} if ASCII_WORD.match(s)]


def index_fields(title, others, description):
    """(key, text, pinyin) for a SearchEntry: what the product is, that and its description, and the
    pinyin tokens of what it is (a description's words never make a pinyin query find a product)."""
    description = strip_tags(description or "")
    key = " ".join([title, *others]).lower()
    text = " ".join([key, description.lower()])
    tokens = []
    for word in words(" ".join([title, *others]), for_search=True):
        for spelling in spellings(word):
            if spelling not in tokens:
                tokens.append(spelling)
    # the whole title spelled out too, so yingtaofanqie finds 樱桃番茄
    tokens.extend(s for s in spellings("".join(HAN.findall(title))) if s not in tokens)
    return key, text, " " + " ".join(tokens) + " "


def add_words(extra):
    """Teach the segmenter words of this shop (village names, synonyms) so queries are cut at them."""
    jieba = _jieba()
    for word in extra:
        if len(word) > 1 and HAN.search(word):
            jieba.add_word(word)


def query_terms(query, synonym_groups=()):
    """The query as a list of (word, alternatives): the word itself and its synonyms."""
    terms = []
    for word in words(query[:100])[:8]:
        alternatives = {word}
        for group in synonym_groups:
            spelled = {s for term in group for s in spellings(term)}
            if word in group or (ASCII_WORD.match(word) and word in spelled):
                alternatives.update(group)
        terms.append((word, alternatives))
    return terms


def term_filter(alternatives, prefix="search_entry__", field="key"):
    """Q matching a product that has any of the alternatives in ``field`` (key: what it is; text: with its
    description), or a pinyin one as a token prefix."""
    q = Q()
    for alt in alternatives:
        q |= Q(**{f"{prefix}{field}__contains": alt})
        if ASCII_WORD.match(alt):
            q |= Q(**{f"{prefix}pinyin__contains": " " + alt})
    return q
