from django.core.paginator import Paginator
from django.shortcuts import render

from search.forms import SearchForm
from search.selectors import search, search_scope

PER_PAGE = 20


class _Counted:
    """A sequence of `count` results of which only one page is loaded: lets Django's
    Paginator number the pages without the engine returning every hit."""

    def __init__(self, count: int):
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, key) -> list:
        return []  # the page's hits come from the engine, not from here


def search_page(request):
    """/soeg/: the search box's results, as the reader may see them (search.selectors)."""
    form = SearchForm(request.GET or None)
    form.explain(request)
    values = form.values()
    query = values["q"]
    paginator = Paginator(_Counted(0), PER_PAGE)
    results, page_obj = None, None
    if query.strip():
        number = values["page"] or 1
        results = search(
            query=query,
            scope=search_scope(request.user),
            forum_id=values["forum"].pk if values["forum"] else None,
            year=values["aar"],
            kind=values["type"],
            offset=(number - 1) * PER_PAGE,
            limit=PER_PAGE,
        )
        paginator = Paginator(_Counted(results.count), PER_PAGE)
        page_obj = paginator.get_page(number)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "query": query,
        "results": results,
        "page_obj": page_obj,
        "query_string": params.urlencode(),
    }
    return render(request, "search/search.html", context)
