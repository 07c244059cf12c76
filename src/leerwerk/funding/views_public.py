"""The public funding wizard ("Geld voor een opleiding"): a few questions, no log-in, nothing
stored. Nationally at /financiering/ and per desk at /loketten/<slug>/financiering/.

Works without JavaScript (a normal form post shows the answer on the same page); with htmx the
answer replaces only the result part of the page.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leerwerk.funding import selectors
from leerwerk.funding.constants import Verdict
from leerwerk.funding.forms import WizardForm
from leerwerk.network.models import Desk


def _published_desk(slug: str) -> Desk:
    desk = Desk.objects.published().select_related("region").filter(slug=slug).first()
    if desk is None:
        raise Http404
    return desk


def _contact_desk(desk: Desk | None, region_id: int | None) -> Desk | None:
    """The desk to ask for advice: the page's desk, or the desk of the person's region."""
    if desk is not None:
        return desk
    if region_id is None:
        return None
    return Desk.objects.published().filter(region_id=region_id).order_by("display_name").first()


@require_http_methods(["GET", "POST"])
def wizard(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    desk = _published_desk(slug) if slug else None
    context: dict[str, Any] = {
        "desk": desk,
        "title": _("Geld voor een opleiding of cursus"),
        "verdicts": Verdict,
        "evaluation": None,
    }
    if request.method == "POST":
        form = WizardForm(request.POST)
        if form.is_valid():
            place_region = form.region()
            region = place_region or (desk.region if desk else None)
            evaluation = selectors.evaluate_public(
                form.situation(),
                form.training(),
                on=timezone.localdate(),
                region_id=region.pk if region else None,
            )
            context.update(
                evaluation=evaluation,
                groups=evaluation.grouped(),
                contact_desk=_contact_desk(desk, place_region.pk if place_region else None),
                region_known=region is not None,
            )
    else:
        form = WizardForm()
    context["form"] = form
    return render(request, "funding/public/wizard.html", context)
