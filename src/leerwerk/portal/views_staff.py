"""Staff pages of the portal under /medewerkers/website/: the desk manager edits the regional
home's texts (with a preview) and settings and reads the visit counts; advisers attach a
self-test result a citizen shared with them to the client's trajectory.

Desks are fetched through the scoping layer; another desk's pages give 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.policies import policy_for
from leerwerk.core.views_helpers import paginate, require_on_desk
from leerwerk.guidance.models import Trajectory
from leerwerk.network.forms import add_service_errors
from leerwerk.network.models import Desk
from leerwerk.portal import selectors, selftests, services
from leerwerk.portal.constants import ContentSlot
from leerwerk.portal.forms import ContentBlockForm, PortalSettingsForm, ShareAttachForm
from leerwerk.portal.markup import render_markdown
from leerwerk.portal.models import (
    ContentBlock,
    DeskPortalSettings,
    PageVisitCount,
    SelfTestShare,
)

GET_POST = require_http_methods(["GET", "POST"])
#: Open trajectories offered in the attach form (newest first).
ATTACH_CHOICES = 500


def _desk(request: HttpRequest, desk_uuid: uuid.UUID) -> Desk:
    return Desk.objects.select_related("region").get_for_user_or_404(
        request.user, Action.VIEW, uuid=desk_uuid
    )


def _crumbs(desk: Desk, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Medewerkers"), reverse("staff:home")),
        (desk.display_name, reverse("staff:desk_detail", args=[desk.uuid])),
        *extra,
    ]


def _website_crumb(desk: Desk) -> tuple[str, str]:
    return (_("Website"), reverse("portal_staff:overview", args=[desk.uuid]))


def may_manage_website(user: Any, desk: Desk) -> bool:
    return policy_for(ContentBlock).can_on_desk(user, Action.VIEW, desk.pk)


@login_required
@require_GET
def overview(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    desk = _desk(request, desk_uuid)
    require_on_desk(request.user, ContentBlock, Action.VIEW, desk)
    settings_row = selectors.portal_settings_for(desk)
    return render(
        request,
        "portal/staff/overview.html",
        {
            "desk": desk,
            "title": _("Website"),
            "breadcrumbs": _crumbs(desk),
            "blocks": selectors.desk_blocks(desk),
            "settings_row": settings_row,
            "waiting": selectors.waiting_time(desk, settings_row=settings_row),
            "may_edit": policy_for(ContentBlock).can_on_desk(request.user, Action.CHANGE, desk.pk),
            "may_view_visits": policy_for(PageVisitCount).can_on_desk(
                request.user, Action.VIEW, desk.pk
            ),
            "may_attach": policy_for(SelfTestShare).can_on_desk(request.user, Action.ADD, desk.pk),
        },
    )


@login_required
@GET_POST
def block_edit(request: HttpRequest, desk_uuid: uuid.UUID, slot: str) -> HttpResponse:
    desk = _desk(request, desk_uuid)
    if slot not in ContentSlot.values:
        raise Http404
    block = ContentBlock.objects.filter(desk=desk, slot=slot).first()
    action = Action.CHANGE if block else Action.ADD
    require_on_desk(request.user, ContentBlock, action, desk)
    preview = ""
    if request.method == "POST":
        form = ContentBlockForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if "voorbeeld" in request.POST:
                preview = render_markdown(data["body"])
            else:
                try:
                    services.content_block_save(
                        actor=request.user,
                        desk=desk,
                        slot=slot,
                        title=data["title"],
                        body=data["body"],
                        is_published=data["is_published"],
                        expected_version=data["version"],
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("De tekst is opgeslagen."))
                    return HttpResponseRedirect(reverse("portal_staff:overview", args=[desk.uuid]))
    else:
        initial: dict[str, Any] = {}
        if block is not None:
            initial = {
                "title": block.title,
                "body": block.body,
                "is_published": block.is_published,
                "version": block.version,
            }
        form = ContentBlockForm(initial=initial)
    label = ContentSlot(slot).label
    return render(
        request,
        "portal/staff/block_edit.html",
        {
            "desk": desk,
            "form": form,
            "block": block,
            "preview": preview,
            "slot_label": label,
            "title": _("Tekst: %(slot)s") % {"slot": label},
            "breadcrumbs": _crumbs(desk, _website_crumb(desk)),
        },
    )


@login_required
@GET_POST
def settings_edit(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    desk = _desk(request, desk_uuid)
    row = DeskPortalSettings.objects.filter(desk=desk).first()
    require_on_desk(request.user, DeskPortalSettings, Action.CHANGE if row else Action.ADD, desk)
    if request.method == "POST":
        form = PortalSettingsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.portal_settings_save(
                    actor=request.user,
                    desk=desk,
                    norm_days=data["norm_days"],
                    intakes_per_fte_week=data["intakes_per_fte_week"],
                    show_staff_names=data["show_staff_names"],
                    expected_version=data["version"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De instellingen zijn opgeslagen."))
                return HttpResponseRedirect(reverse("portal_staff:overview", args=[desk.uuid]))
    else:
        current = row or DeskPortalSettings(desk=desk)
        form = PortalSettingsForm(
            initial={
                "norm_days": current.norm_days,
                "intakes_per_fte_week": current.intakes_per_fte_week,
                "show_staff_names": current.show_staff_names,
                "version": row.version if row else None,
            }
        )
    return render(
        request,
        "portal/staff/settings_edit.html",
        {
            "desk": desk,
            "form": form,
            "title": _("Instellingen van de website"),
            "breadcrumbs": _crumbs(desk, _website_crumb(desk)),
        },
    )


@login_required
@require_GET
def visits(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    desk = _desk(request, desk_uuid)
    require_on_desk(request.user, PageVisitCount, Action.VIEW, desk)
    return render(
        request,
        "portal/staff/visits.html",
        {
            "desk": desk,
            "table": selectors.visits_per_page_month(desk=desk),
            "title": _("Bezoek van de website"),
            "breadcrumbs": _crumbs(desk, _website_crumb(desk)),
        },
    )


@login_required
@GET_POST
def shares(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    """Attach a shared self-test result to a trajectory, and the results attached so far."""
    desk = _desk(request, desk_uuid)
    require_on_desk(request.user, SelfTestShare, Action.VIEW, desk)
    may_attach = policy_for(SelfTestShare).can_on_desk(request.user, Action.ADD, desk.pk)
    trajectories = (
        Trajectory.objects.for_user(request.user, Action.VIEW)
        .open()
        .filter(desk=desk)
        .select_related("client")
        .order_by("-opened_on")
    )
    form = ShareAttachForm(
        request.POST or None,
        # A slice cannot be filtered: the whole scoped list checks a posted choice.
        trajectories=trajectories if request.method == "POST" else trajectories[:ATTACH_CHOICES],
        initial={"trajectory": request.GET.get("traject", "")},
    )
    if request.method == "POST":
        require_on_desk(request.user, SelfTestShare, Action.ADD, desk)
        if form.is_valid():
            try:
                share = services.selftest_share_attach(
                    actor=request.user,
                    code=form.cleaned_data["code"],
                    trajectory=form.cleaned_data["trajectory"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De uitslag is aan het traject gekoppeld."))
                return HttpResponseRedirect(reverse("portal_staff:share_detail", args=[share.uuid]))
    attached = (
        SelfTestShare.objects.for_user(request.user, Action.VIEW)
        .filter(desk=desk)
        .select_related("trajectory", "trajectory__client", "attached_by")
        .order_by("-attached_at")
    )
    page = paginate(request, attached)
    audit_record(
        actor=request.user,
        action="selftest_share.list",
        object_type="portal.selftestshare",
        desk_id=desk.pk,
        detail={"page": page.number},
    )
    return render(
        request,
        "portal/staff/shares.html",
        {
            "desk": desk,
            "form": form,
            "may_attach": may_attach,
            "page": page,
            "title": _("Gedeelde zelftesten"),
            "breadcrumbs": _crumbs(desk, _website_crumb(desk)),
        },
    )


@login_required
@require_GET
def share_detail(request: HttpRequest, share_uuid: uuid.UUID) -> HttpResponse:
    share = SelfTestShare.objects.select_related(
        "desk", "trajectory", "trajectory__client", "attached_by"
    ).get_for_user_or_404(request.user, Action.VIEW, uuid=share_uuid)
    test = selftests.get_test(share.kind)
    scores = []
    for row in share.result.get("scores", []):
        theme = next((t for t in test.themes if t.code == row.get("code")), None)
        if theme is not None:
            scores.append({"name": theme.name, "description": theme.description, **row})
    groups = selectors.occupation_groups(share.result.get("isco_groups", []), examples=0)
    audit_record(actor=request.user, action="selftest_share.view", obj=share, desk_id=share.desk_id)
    desk = share.desk
    if desk is None:  # never: the database requires a desk on an attached share
        raise Http404
    return render(
        request,
        "portal/staff/share_detail.html",
        {
            "desk": desk,
            "share": share,
            "test": test,
            "scores": scores,
            "occupation_groups": groups,
            "title": _("Zelftest: %(test)s") % {"test": test.title},
            "breadcrumbs": _crumbs(
                desk,
                _website_crumb(desk),
                (_("Gedeelde zelftesten"), reverse("portal_staff:shares", args=[desk.uuid])),
            ),
        },
    )
