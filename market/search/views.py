"""Search and browsing from the database (Oscar's Haystack views replaced, the Oscar way)."""

from urllib.parse import unquote

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import ListView
from oscar.core.loading import get_model

from market.cards import card_queryset

from .forms import SearchForm
from .models import SynonymGroup
from .text import add_words, query_terms, term_filter

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")


class ProductListView(ListView):
    """A page of product cards; a page number out of range shows the nearest page."""

    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_queryset(self):
        return card_queryset(self.products().order_by("-date_created", "-pk"))

    def products(self):
        return Product.objects.browsable()


class CatalogueView(ProductListView):
    template_name = "market/catalogue/browse.html"


class ProductCategoryView(ProductListView):
    template_name = "market/catalogue/browse.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404()
        expected = self.category.get_absolute_url()
        if unquote(expected) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def products(self):
        return super().products().filter(categories__in=self.category.get_descendants_and_self()).distinct()

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


def synonym_groups():
    groups = [set(group.terms) for group in SynonymGroup.objects.all()]
    add_words(word for group in groups for word in group)
    return groups


class FacetedSearchView(ProductListView):
    """Products whose title, village, producer, place, category or description hold every query word
    (or a synonym, or its pinyin); filterable by category, with each category's count."""

    template_name = "market/search/results.html"

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET)
        valid = self.form.is_valid()
        self.query = self.form.cleaned_data["q"] if valid else ""
        self.category_id = self.form.cleaned_data.get("category") if valid else None
        self.terms = query_terms(self.query, synonym_groups()) if self.query else []
        return super().get(request, *args, **kwargs)

    def matches(self):
        """Products that *are* what was asked for (title, village, category); only when
        there are none, products whose description mentions it (番茄 finds tomatoes, not the eggs whose
        description suggests 番茄炒蛋)."""
        if not hasattr(self, "_matches"):
            self._matches = self.matching("key")
            if not self._matches.exists():
                self._matches = self.matching("text")
        return self._matches

    def matching(self, field):
        queryset = Product.objects.browsable()
        for _word, alternatives in self.terms:
            queryset = queryset.filter(term_filter(alternatives, field=field))
        return queryset

    def get_queryset(self):
        if not self.terms:
            return Product.objects.none()
        matches = self.matches()
        if self.category_id:
            category = Category.objects.filter(pk=self.category_id).first()
            ids = category.get_descendants_and_self() if category else []
            matches = matches.filter(pk__in=ProductCategory.objects.filter(category__in=ids).values("product"))
        # the products with the query's own words in their title first, then with a synonym there
        score = sum((Case(When(_title_q([word]), then=Value(3)), When(_title_q(alts), then=Value(2)),
                          default=Value(0), output_field=IntegerField()) for word, alts in self.terms),
                    Value(0))
        return card_queryset(matches.annotate(title_score=score).order_by("-title_score", "-date_created", "-pk"))

    def facets(self):
        if not self.terms:
            return []
        rows = (ProductCategory.objects.filter(product__in=self.matches(), category__is_public=True)
                .values("category_id", "category__name")
                .annotate(n=Count("product", distinct=True)).order_by("-n", "category__name"))
        return [{"id": r["category_id"], "name": r["category__name"], "count": r["n"],
                 "selected": r["category_id"] == self.category_id} for r in rows]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(query=self.query, search_form=self.form, facets=self.facets(),
                   total=ctx["paginator"].count if ctx.get("paginator") else 0,
                   category_id=self.category_id)
        return ctx


def _title_q(alternatives):
    q = Q()
    for alt in alternatives:
        q |= Q(title__icontains=alt)
    return q
