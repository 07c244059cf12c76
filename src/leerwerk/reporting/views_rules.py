"""The versions of the national counting rules (/medewerkers/rapportage/telregels/).

Like the registration vocabulary (``guidance.views.vocabulary``, whose pattern this follows):
every staff member may read the published versions; the national team maintains them. A new
version starts as a draft copied from the newest one; its figures are added, changed and
removed; it is published from an effective date and never changes after that. Drafts are shown
to the national team only. Every write goes through ``reporting.services``, which checks the
policy again; these pages check it first, so nobody else even gets a form (403).

Edits are protected against lost updates by a fingerprint of the figure (and of the whole draft
when publishing) that the form carries: a change made by someone else in between gives the
usual conflict message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leerwerk.core.constants import Action
from leerwerk.core.policies import policy_for
from leerwerk.guidance.constants import RegistrationStatus
from leerwerk.guidance.views.common import GET_POST, redirect_to, staff_crumbs
from leerwerk.guidance.views.versions import draft_delete_page, publish_page
from leerwerk.guidance.views.vocabulary import version_status
from leerwerk.network.forms import add_service_errors
from leerwerk.reporting import services
from leerwerk.reporting.constants import Method
from leerwerk.reporting.forms_rules import (
    UNIT_LABELS,
    FigureForm,
    RuleSetPublishForm,
    figure_initial,
)
from leerwerk.reporting.models import FigureDefinition, RuleSet
from leerwerk.reporting.selectors import COUNTED
from leerwerk.reporting.views import SECTION_LABELS


def may_maintain(user: Any) -> bool:
    return policy_for(RuleSet).can_any(user, Action.CHANGE)


def _require_maintainer(user: Any) -> None:
    if not may_maintain(user):
        raise PermissionDenied


def _versions(user: Any) -> QuerySet[RuleSet]:
    """The versions ``user`` may see: drafts only for those who maintain the rules."""
    versions = RuleSet.objects.for_user(user)
    if not may_maintain(user):
        versions = versions.filter(published_at__isnull=False)
    return versions


def _get_version(user: Any, number: int) -> RuleSet:
    return _versions(user).get_for_user_or_404(user, Action.VIEW, number=number)  # type: ignore[attr-defined,no-any-return]


def _get_draft(request: HttpRequest, number: int) -> RuleSet | None:
    """The draft to change, or None (with a message) when it was published meanwhile."""
    _require_maintainer(request.user)
    version = _get_version(request.user, number)
    if version.published_at is not None:
        messages.error(request, services.PUBLISHED_ONLY)
        return None
    return version


def in_force_or_none() -> RuleSet | None:
    from leerwerk.reporting.selectors import ruleset_in_force

    try:
        return ruleset_in_force()
    except RuleSet.DoesNotExist:
        return None


def _list_url() -> str:
    return reverse("reporting:rules_list")


def _detail_url(version: RuleSet) -> str:
    return reverse("reporting:rules_detail", args=[version.number])


def _label(version: RuleSet) -> str:
    return _("Telregels versie %(number)s") % {"number": version.number}


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return staff_crumbs((_("Telregels"), _list_url()), *extra)


# -- reading ---------------------------------------------------------------------------------


@login_required
@require_GET
def rules_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    in_force = in_force_or_none()
    versions = list(_versions(user).annotate(figure_count=Count("figures")).order_by("-number"))
    can_maintain = may_maintain(user)
    context = {
        "title": _("Telregels"),
        "rows": [(v, version_status(v, in_force)) for v in versions],
        "in_force": in_force,
        "can_maintain": can_maintain,
        "draft": next((v for v in versions if v.published_at is None), None),
        "breadcrumbs": staff_crumbs(),
    }
    return render(request, "reporting/rules_list.html", context)


@dataclass(frozen=True)
class ShownFigure:
    figure: FigureDefinition
    method: str
    counts: str  # what it counts or computes, in words
    unit: str


@dataclass(frozen=True)
class ShownSection:
    key: str
    label: str
    figures: list[ShownFigure]


def _describe(figure: FigureDefinition, types: dict[str, str], labels: dict[str, str]) -> str:
    if figure.method in COUNTED:
        names = ", ".join(types.get(code, f"{code} (onbekend)") for code in figure.type_codes)
        statuses = ", ".join(
            str(RegistrationStatus(s).label).lower() if s in RegistrationStatus.values else s
            for s in figure.statuses
        )
        return _("%(types)s; status: %(statuses)s") % {
            "types": names or "–",
            "statuses": statuses or _("elke status"),
        }
    if figure.method == Method.RATIO:
        return _("%(top)s gedeeld door %(bottom)s") % {
            "top": labels.get(figure.numerator, figure.numerator or "?"),
            "bottom": labels.get(figure.denominator, figure.denominator or "?"),
        }
    if figure.method == Method.MANUAL:
        return str(FigureDefinition.Combine(figure.combine).label)
    return "–"


def shown_sections(version: RuleSet) -> list[ShownSection]:
    figures = list(version.figures.order_by("sort_order", "code"))
    types = services.vocabulary_codes()
    labels = {f.code: f.label for f in figures}
    sections: dict[str, list[ShownFigure]] = {}
    for figure in figures:
        sections.setdefault(figure.section, []).append(
            ShownFigure(
                figure=figure,
                method=str(Method(figure.method).label)
                if figure.method in Method.values
                else figure.method,
                counts=_describe(figure, types, labels),
                unit=str(UNIT_LABELS.get(figure.unit, figure.unit)),
            )
        )
    return [
        ShownSection(key, str(SECTION_LABELS.get(key, key.capitalize())), rows)
        for key, rows in sections.items()
    ]


@login_required
@require_GET
def rules_detail(request: HttpRequest, number: int) -> HttpResponse:
    user = request.user
    version = _get_version(user, number)
    is_draft = version.published_at is None
    sections = shown_sections(version)
    context = {
        "title": _label(version),
        "version": version,
        "status": version_status(version, in_force_or_none()),
        "sections": sections,
        "figure_count": sum(len(s.figures) for s in sections),
        "is_draft": is_draft,
        "can_edit": is_draft and may_maintain(user),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "reporting/rules_detail.html", context)


# -- drafts ----------------------------------------------------------------------------------


@login_required
@require_POST
def rules_draft_create(request: HttpRequest) -> HttpResponse:
    _require_maintainer(request.user)
    try:
        draft = services.ruleset_draft(actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect_to(_list_url())
    messages.success(
        request,
        _("Versie %(number)s is gemaakt als concept, met de cijfers van de vorige versie.")
        % {"number": draft.number},
    )
    return redirect_to(_detail_url(draft))


def _figure_form_page(
    request: HttpRequest, *, version: RuleSet, figure: FigureDefinition | None
) -> HttpResponse:
    editing = figure is not None
    others = version.figures.exclude(method=Method.RATIO).order_by("sort_order", "code")
    if figure is not None:
        others = others.exclude(pk=figure.pk)
    options: dict[str, Any] = {
        "editing": editing,
        "type_choices": services.vocabulary_codes(),
        "figure_choices": [(f.code, f"{f.label} ({f.code})") for f in others],
    }
    if request.method == "POST":
        form = FigureForm(request.POST, **options)
        if form.is_valid():
            code = figure.code if figure is not None else form.cleaned_data["code"]
            fingerprint = form.cleaned_data["fingerprint"] or None
            try:
                saved = services.figure_save(
                    actor=request.user,
                    ruleset=version,
                    code=code,
                    expected_fingerprint=fingerprint if editing else None,
                    **form.service_values(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Cijfer %(label)s is opgeslagen.") % {"label": saved.label}
                )
                return redirect_to(_detail_url(version), anchor=f"cijfer-{saved.code}")
    elif figure is not None:
        form = FigureForm(
            initial=figure_initial(figure, services.figure_fingerprint(figure)), **options
        )
    else:
        form = FigureForm(
            initial={
                "unit": "aantal",
                "combine": FigureDefinition.Combine.SUM,
                "statuses": [RegistrationStatus.COMPLETED],
                "sort_order": (version.figures.count() + 1) * 10,
            },
            **options,
        )
    if figure is not None:
        title = _("Cijfer %(label)s wijzigen") % {"label": figure.label}
        subject = _("%(version)s · code %(code)s") % {
            "version": _label(version),
            "code": figure.code,
        }
    else:
        title = _("Cijfer toevoegen")
        subject = _label(version)
    context = {
        "title": title,
        "subject": subject,
        "form": form,
        "cancel_url": _detail_url(version),
        "breadcrumbs": _crumbs((_label(version), _detail_url(version))),
    }
    return render(request, "reporting/rules_figure_form.html", context)


@login_required
@GET_POST
def rules_figure_create(request: HttpRequest, number: int) -> HttpResponse:
    version = _get_draft(request, number)
    if version is None:
        return redirect_to(reverse("reporting:rules_detail", args=[number]))
    return _figure_form_page(request, version=version, figure=None)


def _get_figure(request: HttpRequest, version: RuleSet, code: str) -> FigureDefinition:
    return FigureDefinition.objects.filter(ruleset=version).get_for_user_or_404(  # type: ignore[attr-defined,no-any-return]
        request.user, Action.CHANGE, code=code
    )


@login_required
@GET_POST
def rules_figure_update(request: HttpRequest, number: int, code: str) -> HttpResponse:
    version = _get_draft(request, number)
    if version is None:
        return redirect_to(reverse("reporting:rules_detail", args=[number]))
    return _figure_form_page(request, version=version, figure=_get_figure(request, version, code))


@login_required
@GET_POST
def rules_figure_delete(request: HttpRequest, number: int, code: str) -> HttpResponse:
    version = _get_draft(request, number)
    if version is None:
        return redirect_to(reverse("reporting:rules_detail", args=[number]))
    figure = _get_figure(request, version, code)
    if request.method == "POST":
        try:
            services.figure_delete(
                actor=request.user,
                figure=figure,
                expected_fingerprint=request.POST.get("fingerprint") or None,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect_to(_detail_url(version), anchor=f"cijfer-{figure.code}")
        messages.success(
            request, _("Cijfer %(label)s is uit het concept gehaald.") % {"label": figure.label}
        )
        return redirect_to(_detail_url(version))
    context = {
        "title": _("Cijfer %(label)s verwijderen") % {"label": figure.label},
        "version": version,
        "figure": figure,
        "fingerprint": services.figure_fingerprint(figure),
        "cancel_url": _detail_url(version),
        "breadcrumbs": _crumbs((_label(version), _detail_url(version))),
    }
    return render(request, "reporting/rules_figure_delete.html", context)


@login_required
@GET_POST
def rules_publish(request: HttpRequest, number: int) -> HttpResponse:
    version = _get_draft(request, number)
    if version is None:
        return redirect_to(reverse("reporting:rules_detail", args=[number]))
    return publish_page(
        request,
        version=version,
        form_class=RuleSetPublishForm,
        initial={"fingerprint": services.ruleset_fingerprint(version)},
        publish=lambda data: services.ruleset_publish(
            actor=request.user,
            ruleset=version,
            effective_from=data["effective_from"],
            notes=data["notes"],
            expected_fingerprint=data["fingerprint"] or None,
        ),
        label=_label,
        detail_url=_detail_url,
        previous=RuleSet.objects.filter(published_at__isnull=False)
        .order_by("-effective_from")
        .first(),
        intro=_(
            "Na publiceren verandert deze versie niet meer. Nieuwe rapporten gebruiken haar vanaf "
            "de ingangsdatum; eerdere versies blijven beschikbaar om rapporten opnieuw te "
            "berekenen."
        ),
        choose_after=_("Kies %(date)s of later, de ingangsdatum van versie %(number)s."),
        breadcrumbs=_crumbs((_label(version), _detail_url(version))),
    )


@login_required
@GET_POST
def rules_draft_delete(request: HttpRequest, number: int) -> HttpResponse:
    version = _get_draft(request, number)
    if version is None:
        return redirect_to(reverse("reporting:rules_detail", args=[number]))
    return draft_delete_page(
        request,
        version=version,
        delete=lambda: services.ruleset_draft_delete(actor=request.user, ruleset=version),
        label=_label,
        detail_url=_detail_url,
        list_url=_list_url(),
        template="reporting/rules_draft_delete.html",
        context={"figure_count": version.figures.count()},
        breadcrumbs=_crumbs((_label(version), _detail_url(version))),
    )
