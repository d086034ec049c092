from django.shortcuts import render

from . import registry
from .services import search


def search_page(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in registry.kinds() else None
    municipality = request.GET.get("municipality", "")[:100] or None
    results = search(request.GET.get("q", ""), user=request.user, kind=kind, municipality=municipality)
    return render(
        request,
        "search/search_page.html",
        {"results": results, "kind": kind or "", "municipality": municipality or ""},
    )
