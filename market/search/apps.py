from oscar.apps.search import apps


class SearchConfig(apps.SearchConfig):
    """Oscar's search app, forked: products are found in the database, in Chinese and in pinyin.

    Oscar searches and browses through Haystack; a Whoosh index does not segment
    Chinese and needs a disk and a rebuild. Here each product has a
    ``SearchEntry`` row (its words and their pinyin, kept current on save) and
    the views query it with the ORM, on SQLite and PostgreSQL alike.
    """

    name = "market.search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        super().ready()
        from . import receivers

        receivers.connect()
