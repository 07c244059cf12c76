"""Staff pages. Every desk object is fetched through the scoping layer (for_user /
get_for_user_or_404); every write goes through ``leerwerk.network.services``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "network/staff/home.html", {"title": "Start"})
