"""The products a listing shows as cards, fetched with everything a card prints in a fixed number of queries."""


def card_queryset(queryset):
    """Oscar's base_queryset (product class, options, stock, images) plus each stock record's village."""
    return queryset.base_queryset().prefetch_related("stockrecords__partner__village")
