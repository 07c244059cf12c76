"""Public pages: the list of all desks with "which desk is mine?", and a page per desk."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from leerwerk.network import selectors
from leerwerk.network.models import Desk


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    result = selectors.find_desks(query) if query else None
    context = {"desks": selectors.public_desks(), "query": query, "result": result}
    if request.htmx:
        return render(request, "network/public/_desk_search_results.html", context)
    return render(request, "network/public/home.html", context)


@require_GET
def desk_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        desk = selectors.public_desk_detail(slug=slug)
    except Desk.DoesNotExist:
        raise Http404 from None
    return render(
        request, "network/public/desk_detail.html", {"desk": desk, "title": desk.display_name}
    )
