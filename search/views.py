from django.shortcuts import render

from .services import search


def search_page(request):
    results = search(request.GET.get("q", ""), user=request.user)
    return render(request, "search/search_page.html", {"results": results})
