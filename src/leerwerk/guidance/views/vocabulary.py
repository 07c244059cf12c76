"""The national vocabulary of registration types (/medewerkers/begeleiding/registratielijst/).

Everyone with a staff account may read the published versions (the vocabulary is public). The
national team maintains it: a new version starts as a draft copied from the newest one, gets
its types added and changed, and is published from an effective date; drafts are shown to the
national team only. Every write goes through ``leerwerk.guidance.services``, which checks the
policy again; the pages check it first, so nobody else even gets a form (403).

Versions are addressed by their number (v1, v2 …): a public, stable name of the version, not a
database id. Types are addressed by their code within the version.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from leerwerk.core.constants import Action
from leerwerk.core.policies import policy_for
from leerwerk.core.views_helpers import paginate, query_without_page
from leerwerk.guidance import services
from leerwerk.guidance.constants import RegistrationKind
from leerwerk.guidance.forms_vocabulary import RegistrationTypeForm, VocabularyPublishForm
from leerwerk.guidance.models import RegistrationType, VocabularyVersion
from leerwerk.guidance.selectors import vocabulary_in_force
from leerwerk.guidance.views.common import GET_POST, redirect_to, staff_crumbs
from leerwerk.guidance.views.versions import draft_delete_page, publish_page
from leerwerk.network.forms import add_service_errors

PUBLISHED_ONLY = gettext_lazy(
    "Een gepubliceerde versie verandert niet meer. Maak een nieuwe versie."
)


def may_maintain(user: Any) -> bool:
    return policy_for(VocabularyVersion).can_any(user, Action.CHANGE)


def _require_maintainer(user: Any) -> None:
    """403 before any form is shown: only the national team maintains the vocabulary."""
    if not may_maintain(user):
        raise PermissionDenied


def _versions(user: Any) -> Any:
    """The versions ``user`` may see: drafts only for those who maintain the vocabulary."""
    versions = VocabularyVersion.objects.for_user(user)
    if not may_maintain(user):
        versions = versions.filter(published_at__isnull=False)
    return versions


def _get_version(user: Any, number: int) -> VocabularyVersion:
    return _versions(user).get_for_user_or_404(user, Action.VIEW, number=number)


def _get_draft(request: HttpRequest, number: int) -> VocabularyVersion | None:
    """The draft to change, or None (with a message) when it was published meanwhile."""
    _require_maintainer(request.user)
    version = _get_version(request.user, number)
    if version.published_at is not None:
        messages.error(request, PUBLISHED_ONLY)
        return None
    return version


def _list_url() -> str:
    return reverse("guidance:vocabulary_list")


def _detail_url(version: VocabularyVersion) -> str:
    return reverse("guidance:vocabulary_detail", args=[version.number])


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return staff_crumbs((_("Registratielijst"), _list_url()), *extra)


def _version_label(version: VocabularyVersion) -> str:
    return _("Versie %(number)s") % {"number": version.number}


@dataclass(frozen=True)
class VersionStatus:
    label: str
    badge: str  # utrecht-status-badge modifier


class PublishableVersion(Protocol):
    """A versioned national list (this vocabulary, the counting rules of reporting)."""

    @property
    def pk(self) -> Any: ...
    @property
    def published_at(self) -> datetime.datetime | None: ...
    @property
    def effective_from(self) -> datetime.date: ...


def version_status(
    version: PublishableVersion, in_force: PublishableVersion | None
) -> VersionStatus:
    if version.published_at is None:
        return VersionStatus(_("Concept"), "warning")
    if in_force is not None and version.pk == in_force.pk:
        return VersionStatus(_("Geldt nu"), "success")
    if version.effective_from > timezone.localdate():
        return VersionStatus(_("Gepland"), "neutral")
    return VersionStatus(_("Vervangen"), "inactive")


# -- reading ---------------------------------------------------------------------------------


@login_required
@require_GET
def vocabulary_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    in_force = vocabulary_in_force()
    versions = _versions(user).annotate(
        type_count=Count("types"),
        active_count=Count("types", filter=Q(types__is_active=True)),
    )
    page = paginate(request, versions.order_by("-number"))
    rows = [(version, version_status(version, in_force)) for version in page]
    can_maintain = may_maintain(user)
    draft = _versions(user).filter(published_at__isnull=True).first() if can_maintain else None
    context = {
        "title": _("Registratielijst"),
        "page": page,
        "rows": rows,
        "query": query_without_page(request),
        "in_force": in_force,
        "can_maintain": can_maintain,
        "draft": draft,
        "breadcrumbs": staff_crumbs(),
    }
    return render(request, "guidance/vocabulary/version_list.html", context)


@dataclass(frozen=True)
class KindGroup:
    kind: str
    label: str
    types: list[RegistrationType]


@login_required
@require_GET
def vocabulary_detail(request: HttpRequest, number: int) -> HttpResponse:
    user = request.user
    version = _get_version(user, number)
    types = list(
        RegistrationType.objects.for_user(user)
        .filter(version=version)
        .order_by("sort_order", "name", "code")
    )
    groups = [
        KindGroup(kind, str(label), [t for t in types if t.kind == kind])
        for kind, label in RegistrationKind.choices
    ]
    is_draft = version.published_at is None
    context = {
        "title": _version_label(version),
        "version": version,
        "status": version_status(version, vocabulary_in_force()),
        "groups": groups,
        "type_count": len(types),
        "is_draft": is_draft,
        "can_edit": is_draft and may_maintain(user),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "guidance/vocabulary/version_detail.html", context)


# -- drafts ----------------------------------------------------------------------------------


@login_required
@require_POST
def vocabulary_draft_create(request: HttpRequest) -> HttpResponse:
    _require_maintainer(request.user)
    try:
        draft = services.vocabulary_draft_create(actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect_to(_list_url())
    messages.success(
        request,
        _("Versie %(number)s is gemaakt als concept, met de soorten van de vorige versie.")
        % {"number": draft.number},
    )
    return redirect_to(_detail_url(draft))


def _type_form_page(
    request: HttpRequest,
    *,
    version: VocabularyVersion,
    type_: RegistrationType | None,
) -> HttpResponse:
    editing = type_ is not None
    if request.method == "POST":
        form = RegistrationTypeForm(request.POST, version=version, editing=editing)
        if form.is_valid():
            code = type_.code if type_ is not None else form.cleaned_data["code"]
            try:
                saved = services.registration_type_save(
                    actor=request.user, version=version, code=code, **form.service_values()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Registratiesoort %(name)s is opgeslagen.") % {"name": saved.name}
                )
                return redirect_to(_detail_url(version), anchor=f"soort-{saved.kind}")
    elif type_ is not None:
        form = RegistrationTypeForm(
            version=version,
            editing=True,
            initial={
                "name": type_.name,
                "description": type_.description,
                "needs_trajectory": type_.needs_trajectory,
                "is_active": type_.is_active,
                "sort_order": type_.sort_order,
            },
        )
    else:
        kind = request.GET.get("soort", "")
        form = RegistrationTypeForm(
            version=version,
            editing=False,
            initial={
                "kind": kind if kind in RegistrationKind.values else "",
                "needs_trajectory": True,
                "is_active": True,
                "sort_order": 0,
            },
        )
    if type_ is not None:
        title = _("Registratiesoort %(name)s wijzigen") % {"name": type_.name}
        subject = _("%(version)s · code %(code)s · %(kind)s") % {
            "version": _version_label(version),
            "code": type_.code,
            "kind": type_.get_kind_display(),
        }
    else:
        title = _("Registratiesoort toevoegen")
        subject = _version_label(version)
    context = {
        "title": title,
        "subject": subject,
        "form": form,
        "cancel_url": _detail_url(version),
        "breadcrumbs": _crumbs((_version_label(version), _detail_url(version))),
    }
    return render(request, "guidance/form_page.html", context)


@login_required
@GET_POST
def registration_type_create(request: HttpRequest, number: int) -> HttpResponse:
    version = _get_draft(request, number)
    if version is None:
        return redirect_to(reverse("guidance:vocabulary_detail", args=[number]))
    return _type_form_page(request, version=version, type_=None)


@login_required
@GET_POST
def registration_type_update(request: HttpRequest, number: int, code: str) -> HttpResponse:
    version = _get_draft(request, number)
    if version is None:
        return redirect_to(reverse("guidance:vocabulary_detail", args=[number]))
    type_ = RegistrationType.objects.filter(version=version).get_for_user_or_404(
        request.user, Action.CHANGE, code=code
    )
    return _type_form_page(request, version=version, type_=type_)


@login_required
@GET_POST
def vocabulary_publish(request: HttpRequest, number: int) -> HttpResponse:
    version = _get_draft(request, number)
    if version is None:
        return redirect_to(reverse("guidance:vocabulary_detail", args=[number]))
    return publish_page(
        request,
        version=version,
        form_class=VocabularyPublishForm,
        initial=None,
        publish=lambda data: services.vocabulary_publish(
            actor=request.user,
            version=version,
            effective_from=data["effective_from"],
            notes=data["notes"],
        ),
        label=_version_label,
        detail_url=_detail_url,
        previous=VocabularyVersion.objects.filter(published_at__isnull=False)
        .order_by("-effective_from")
        .first(),
        intro=_(
            "Na publiceren verandert deze versie niet meer. Adviseurs registreren er vanaf de "
            "ingangsdatum mee."
        ),
        choose_after=_("Kies een datum na %(date)s, de ingangsdatum van versie %(number)s."),
        breadcrumbs=_crumbs((_version_label(version), _detail_url(version))),
    )


@login_required
@GET_POST
def vocabulary_draft_delete(request: HttpRequest, number: int) -> HttpResponse:
    version = _get_draft(request, number)
    if version is None:
        return redirect_to(reverse("guidance:vocabulary_detail", args=[number]))
    return draft_delete_page(
        request,
        version=version,
        delete=lambda: services.vocabulary_draft_delete(actor=request.user, version=version),
        label=_version_label,
        detail_url=_detail_url,
        list_url=_list_url(),
        template="guidance/vocabulary/draft_delete.html",
        context={"type_count": version.types.count()},
        breadcrumbs=_crumbs((_version_label(version), _detail_url(version))),
    )
