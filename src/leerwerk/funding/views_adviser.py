"""The adviser's funding check inside a trajectory, and the saved (printable) advice.

Personal data: only the trajectory's desk staff; another desk and the national team get 404.
Every view of a client's funding check is recorded in the audit log.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.views_helpers import require_on_desk
from leerwerk.funding import selectors, services
from leerwerk.funding.constants import TrainingLevel, Verdict
from leerwerk.funding.eligibility import SituationFacts, TrainingFacts, value_label
from leerwerk.funding.forms import AdviserFactsForm, initial_from_client
from leerwerk.funding.models import FundingAdvice
from leerwerk.guidance.models import Trajectory

GET_POST = require_http_methods(["GET", "POST"])


def _saved_offers(trajectory: Trajectory) -> list[Any]:
    """The training offers saved on this trajectory (catalogue), to describe the chosen one."""
    from leerwerk.catalogue.models import SavedOffer

    return list(
        SavedOffer.objects.filter(trajectory=trajectory)
        .select_related("offer", "offer__provider")
        .order_by("-saved_at")[:20]
    )


def _saved_offer(trajectory: Trajectory, offer_uuid: str) -> Any:
    """One of the trajectory's saved offers by its uuid; None for anything else."""
    try:
        wanted = uuid.UUID(offer_uuid)
    except ValueError:
        return None
    return next((s.offer for s in _saved_offers(trajectory) if s.offer.uuid == wanted), None)


def training_initial_from_offer(offer: Any) -> dict[str, Any]:
    """A catalogue offer described as the training facts of the eligibility rules."""
    level = offer.level
    if level == "nlqf":
        level = f"nlqf_{offer.nlqf_level}" if offer.nlqf_level else ""
    return {
        "training_name": f"{offer.title} ({offer.provider.name})",
        "training_kind": offer.kind,
        "training_level": level if level in TrainingLevel.values else "",
        "training_crebo": offer.crebo_code,
    }


def _trajectory_url(trajectory: Trajectory) -> str:
    return reverse("guidance:trajectory_detail", args=[trajectory.uuid])


def _crumbs(trajectory: Trajectory) -> list[tuple[str, str]]:
    return [
        (_("Medewerkers"), reverse("staff:home")),
        (
            _("Traject %(theme)s") % {"theme": trajectory.get_theme_display().lower()},
            _trajectory_url(trajectory),
        ),
    ]


@login_required
@GET_POST
def trajectory_check(request: HttpRequest, trajectory_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    trajectory = Trajectory.objects.select_related(
        "client", "desk", "desk__region"
    ).get_for_user_or_404(user, Action.VIEW, uuid=trajectory_uuid)
    require_on_desk(user, FundingAdvice, Action.ADD, trajectory.desk)
    today = timezone.localdate()
    evaluation = None
    if request.method == "POST":
        form = AdviserFactsForm(request.POST)
        if form.is_valid():
            situation = form.situation()
            training = form.training()
            if "opslaan" in request.POST:
                try:
                    advice = services.funding_advice_save(
                        actor=user,
                        trajectory=trajectory,
                        situation=situation,
                        training=training,
                        on=today,
                        note=form.cleaned_data.get("note") or "",
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("Het financieringsadvies is opgeslagen."))
                    return HttpResponseRedirect(
                        reverse("funding:advice_detail", args=[advice.uuid])
                    )
            region = form.region() or trajectory.desk.region
            evaluation = selectors.evaluate_public(
                situation, training, on=today, region_id=region.pk
            )
    else:
        initial = initial_from_client(trajectory.client, today)
        chosen = _saved_offer(trajectory, request.GET.get("opleiding", ""))
        if chosen is not None:
            initial.update(training_initial_from_offer(chosen))
        form = AdviserFactsForm(initial=initial)
    audit_record(
        actor=user,
        action="funding_check.view",
        obj=trajectory,
        desk_id=trajectory.desk_id,
        detail={"evaluated": evaluation is not None},
    )
    context = {
        "title": _("Financiering zoeken"),
        "trajectory": trajectory,
        "form": form,
        "evaluation": evaluation,
        "groups": evaluation.grouped() if evaluation else None,
        "verdicts": Verdict,
        "today": today,
        "advices": selectors.advices_for_trajectory(user, trajectory)[:10],
        "saved_offers": _saved_offers(trajectory),
        "breadcrumbs": _crumbs(trajectory),
    }
    return render(request, "funding/adviser/check.html", context)


def _facts_rows(advice: FundingAdvice) -> list[tuple[str, str]]:
    """The facts of a saved advice as label/value rows for the printout."""
    situation = SituationFacts.from_json(advice.situation or {})
    training = TrainingFacts.from_json(advice.training)
    unknown = _("onbekend")
    rows: list[tuple[str, str]] = [
        (
            _("Situatie"),
            ", ".join(value_label("situation", s) for s in sorted(situation.situations or []))
            or unknown,
        ),
        (
            _("Leeftijd"),
            _("%(age)s jaar") % {"age": situation.age} if situation.age is not None else unknown,
        ),
        (
            _("Hoogste opleiding"),
            value_label("education_level", situation.education_level)
            if situation.education_level
            else unknown,
        ),
        (
            _("Woonplaats"),
            situation.municipality_name or situation.region_name or unknown,
        ),
        (_("Sector"), value_label("sector", situation.sector) if situation.sector else unknown),
        (
            _("Grootte werkgever"),
            value_label("employer_size", situation.employer_size)
            if situation.employer_size
            else unknown,
        ),
    ]
    if training is None:
        rows.append((_("Opleiding"), _("nog niet gekozen")))
    else:
        parts = [
            training.name,
            value_label("training_kind", training.kind) if training.kind else "",
            value_label("training_level", training.level) if training.level else "",
            _("crebo %(code)s") % {"code": training.crebo} if training.crebo else "",
        ]
        rows.append((_("Opleiding"), ", ".join(p for p in parts if p) or unknown))
        if training.lists is not None:
            rows.append(
                (
                    _("Lijsten en registers"),
                    ", ".join(value_label("training_list", v) for v in sorted(training.lists))
                    or _("geen"),
                )
            )
    return rows


@login_required
@require_GET
def advice_detail(request: HttpRequest, advice_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    advice: Any = FundingAdvice.objects.select_related(
        "trajectory", "trajectory__client", "desk", "created_by"
    ).get_for_user_or_404(user, Action.VIEW, uuid=advice_uuid)
    audit_record(
        actor=user,
        action="funding_advice.view",
        obj=advice,
        desk_id=advice.desk_id,
        detail={"trajectory": str(advice.trajectory.uuid)},
    )
    groups = selectors.group_results(advice.results or [])
    context = {
        "title": _("Financieringsadvies"),
        "advice": advice,
        "trajectory": advice.trajectory,
        "facts": _facts_rows(advice),
        "groups": groups,
        "verdicts": Verdict,
        "breadcrumbs": _crumbs(advice.trajectory),
    }
    return render(request, "funding/adviser/advice_detail.html", context)
