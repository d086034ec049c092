from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import registry, services


def search_page(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in registry.kinds() else None
    municipality = request.GET.get("municipality", "")[:100] or None
    results = services.search(
        request.GET.get("q", ""), user=request.user, kind=kind, municipality=municipality
    )
    return render(
        request,
        "search/search_page.html",
        {"results": results, "kind": kind or "", "municipality": municipality or ""},
    )


@require_GET
@never_cache  # per reader: what one may open another may not
def suggest(request):
    """Suggestions while typing in the search box (``search/static/search/suggest.js``)."""
    query = request.GET.get("q", "")
    if len(query) > services.MAX_QUERY_LENGTH:
        return JsonResponse(
            {"code": "too_long", "message": _("De zoekvraag is te lang (maximaal 200 tekens).")}, status=422
        )
    hits = services.suggest(query, user=request.user)
    return JsonResponse(
        {
            "query": services.clean(query),
            "engine": services.engine_name(),
            "suggestions": [
                {"title": h.title, "url": h.url, "kind": h.kind, "kind_label": str(h.kind_label)}
                for h in hits
            ],
        }
    )
