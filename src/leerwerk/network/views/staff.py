"""Staff pages under /medewerkers/.

Every desk object is fetched through the scoping layer (``for_user`` / ``get_for_user_or_404``):
someone who may not see an object gets 404, someone who may see it but not do the action gets
403. Every write goes through ``leerwerk.network.services``; their ValidationErrors and
ConflictErrors are shown on the form, with the user's input kept.
"""

from __future__ import annotations

import copy
import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from leerwerk.core.access import Access, access_for
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action, DeskRole, GlobalRole
from leerwerk.core.policies import policy_for
from leerwerk.core.views_helpers import paginate, query_without_page, require_on_desk
from leerwerk.network import selectors, services
from leerwerk.network.forms import (
    HOURS_PREFIX,
    DeskSettingsForm,
    HoursFormSet,
    LocationEditForm,
    LocationForm,
    MembershipCreateForm,
    MembershipEditForm,
    MembershipEndForm,
    PartnershipAddForm,
    add_service_errors,
    hours_initial,
    raw_values,
)
from leerwerk.network.models import (
    Desk,
    DeskPartnership,
    Location,
    OpeningHours,
    Partner,
    StaffMembership,
)

TEAM_PREVIEW_SIZE = 12
#: Global roles that see the national overview (aggregates only).
OVERVIEW_ROLES = frozenset(
    {GlobalRole.NATIONAL_TEAM, GlobalRole.MINISTRY_VIEWER, GlobalRole.ADMINISTRATOR}
)
GET_POST = require_http_methods(["GET", "POST"])


# -- helpers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskPermissions:
    """What the user may do at one desk, for links and sections on the pages."""

    view_team: bool
    manage_team: bool
    change_settings: bool
    manage_locations: bool
    view_partners: bool
    manage_partners: bool

    @classmethod
    def of(cls, user: Any, desk: Desk) -> DeskPermissions:
        def can(model: type, action: str) -> bool:
            return policy_for(model).can_on_desk(user, action, desk.pk)

        return cls(
            view_team=can(StaffMembership, Action.VIEW),
            manage_team=can(StaffMembership, Action.ADD),
            change_settings=can(Desk, Action.CHANGE),
            manage_locations=can(Location, Action.ADD),
            view_partners=can(DeskPartnership, Action.VIEW),
            manage_partners=can(DeskPartnership, Action.ADD),
        )

    @property
    def manages_anything(self) -> bool:
        return self.manage_team or self.change_settings or self.manage_locations


def _get_desk(request: HttpRequest, desk_uuid: uuid.UUID, action: str = Action.VIEW) -> Desk:
    return Desk.objects.select_related(
        "region", "region__central_municipality"
    ).get_for_user_or_404(request.user, action, uuid=desk_uuid)


def _redirect(name: str, *args: Any, anchor: str = "") -> HttpResponseRedirect:
    url = reverse(name, args=args)
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def _desk_crumbs(desk: Desk, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Medewerkers"), reverse("staff:home")),
        (desk.display_name, reverse("staff:desk_detail", args=[desk.uuid])),
        *extra,
    ]


@dataclass(frozen=True)
class Totals:
    desks: int
    staff_count: int
    advisers: int
    managers: int
    fte: Decimal
    locations: int
    people: int  # distinct people: someone working at two desks counts once


def unscoped_people_count(desks: QuerySet[Desk]) -> int:
    """Distinct people with an active membership at ``desks`` (a count, never names).

    ``unscoped_`` because it counts memberships the caller may not see one by one; callers pass
    desks already scoped with ``Desk.objects.for_user``.
    """
    return (
        StaffMembership.objects.active_on(timezone.localdate())
        .filter(desk__in=desks)
        .values("user_id")
        .distinct()
        .count()
    )


def _totals(figures: list[selectors.DeskStaffFigures], desks: QuerySet[Desk]) -> Totals:
    return Totals(
        desks=len(figures),
        staff_count=sum(f.staff_count for f in figures),
        advisers=sum(f.advisers for f in figures),
        managers=sum(f.managers for f in figures),
        fte=sum((f.fte for f in figures), Decimal("0.00")),
        locations=sum(f.locations for f in figures),
        people=unscoped_people_count(desks),
    )


# -- start page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskCard:
    desk: Desk
    roles: list[str]
    permissions: DeskPermissions


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    access: Access = access_for(user)
    desks = (
        Desk.objects.for_user(user)
        .filter(pk__in=sorted(access.desk_roles))
        .select_related("region")
        .order_by("display_name")
    )
    cards = [
        DeskCard(
            desk=desk,
            roles=[str(DeskRole(role).label) for role in sorted(access.roles_at(desk.pk))],
            permissions=DeskPermissions.of(user, desk),
        )
        for desk in desks
    ]
    sees_overview = access.has_global_role(OVERVIEW_ROLES)
    totals = None
    if access.has_global_role([GlobalRole.MINISTRY_VIEWER]):
        scoped = Desk.objects.for_user(user)
        totals = _totals(selectors.unscoped_staff_figures(scoped), scoped)
    context = {
        "title": _("Start"),
        "cards": cards,
        "sees_overview": sees_overview,
        "is_administrator": access.has_global_role([GlobalRole.ADMINISTRATOR]),
        "is_national_team": access.has_global_role([GlobalRole.NATIONAL_TEAM]),
        "totals": totals,
        "has_role": bool(cards) or sees_overview,
        "global_role_label": GlobalRole(access.global_role).label if access.global_role else "",
    }
    return render(request, "network/staff/home.html", context)


# -- national overview -----------------------------------------------------------------------

SORT_KEYS: dict[str, Any] = {
    "loket": lambda f: f.desk.display_name.casefold(),
    "regio": lambda f: f.desk.region.name.casefold(),
    "medewerkers": lambda f: f.staff_count,
    "adviseurs": lambda f: f.advisers,
    "projectleiders": lambda f: f.managers,
    "fte": lambda f: f.fte,
    "vestigingen": lambda f: f.locations,
}
OVERVIEW_COLUMNS = [
    ("loket", _("Loket"), False),
    ("regio", _("Arbeidsmarktregio"), False),
    ("medewerkers", _("Medewerkers"), True),
    ("adviseurs", _("Adviseurs"), True),
    ("projectleiders", _("Projectleiders"), True),
    ("fte", _("Fte"), True),
    ("vestigingen", _("Vestigingen"), True),
]


@login_required
@require_GET
def national_overview(request: HttpRequest) -> HttpResponse:
    if not access_for(request.user).has_global_role(OVERVIEW_ROLES):
        raise PermissionDenied
    desks = Desk.objects.for_user(request.user)
    figures = selectors.unscoped_staff_figures(desks)
    sort = request.GET.get("sorteer", "loket")
    if sort not in SORT_KEYS:
        sort = "loket"
    descending = request.GET.get("volgorde") == "af"
    figures.sort(key=lambda f: (SORT_KEYS[sort](f), f.desk.display_name), reverse=descending)
    columns = [
        {
            "key": key,
            "label": label,
            "numeric": numeric,
            "sorted": key == sort,
            "aria_sort": ("descending" if descending else "ascending") if key == sort else "",
            "next_order": "op" if key == sort and descending else ("af" if key == sort else "op"),
        }
        for key, label, numeric in OVERVIEW_COLUMNS
    ]
    context = {
        "title": _("Landelijk overzicht"),
        "figures": figures,
        "totals": _totals(figures, desks),
        "columns": columns,
        "breadcrumbs": [(_("Medewerkers"), reverse("staff:home"))],
    }
    return render(request, "network/staff/national_overview.html", context)


# -- desk ------------------------------------------------------------------------------------


@login_required
@require_GET
def desk_detail(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    desk = _get_desk(request, desk_uuid)
    permissions = DeskPermissions.of(user, desk)
    hours = OpeningHours.objects.order_by("kind", "weekday", "opens")
    locations = (
        Location.objects.for_user(user)
        .filter(desk=desk)
        .select_related("municipality")
        .prefetch_related(Prefetch("hours", queryset=hours))
        .order_by("name")
    )
    partnerships = (
        DeskPartnership.objects.for_user(user)
        .filter(desk=desk)
        .select_related("partner")
        .order_by("-is_core", "partner__name")
    )
    figures = selectors.unscoped_staff_figures(Desk.objects.for_user(user).filter(pk=desk.pk))
    team: list[StaffMembership] | None = None
    if permissions.view_team:
        team = list(selectors.staff_memberships(user=user, desk=desk)[: TEAM_PREVIEW_SIZE + 1])
        audit_record(
            actor=user,
            action="membership.list",
            object_type="network.staffmembership",
            desk_id=desk.pk,
            detail={"page": "desk_detail"},
        )
    context = {
        "title": desk.display_name,
        "desk": desk,
        "service_lines": list(desk.service_lines.order_by("sort_order", "name")),
        "permissions": permissions,
        "locations": list(locations),
        "partnerships": list(partnerships),
        "figures": figures[0] if figures else None,
        "team": team[:TEAM_PREVIEW_SIZE] if team is not None else None,
        "team_truncated": team is not None and len(team) > TEAM_PREVIEW_SIZE,
        "breadcrumbs": [(_("Medewerkers"), reverse("staff:home"))],
    }
    return render(request, "network/staff/desk_detail.html", context)


@login_required
@GET_POST
def desk_settings(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    desk = _get_desk(request, desk_uuid, Action.CHANGE)
    title = _("Instellingen van %(desk)s") % {"desk": desk.display_name}
    crumbs = _desk_crumbs(desk)  # from the saved name: a failed save must not rename the page
    if request.method == "POST":
        # The form validates a copy; the service changes the desk as it was loaded.
        form = DeskSettingsForm(request.POST, instance=copy.copy(desk))
        if form.is_valid():
            try:
                services.desk_update(
                    actor=request.user,
                    desk=desk,
                    expected_version=form.cleaned_data["version"],
                    service_lines=form.cleaned_data["service_lines"],
                    **form.settings_values(),
                )
            except ValidationError as exc:  # includes ConflictError
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De instellingen van het loket zijn opgeslagen."))
                return _redirect("staff:desk_detail", desk.uuid)
    else:
        form = DeskSettingsForm(instance=desk, initial={"version": desk.version})
    context = {
        "title": title,
        "desk": desk,
        "form": form,
        "breadcrumbs": crumbs,
    }
    return render(request, "network/staff/desk_settings.html", context)


# -- locations -------------------------------------------------------------------------------


def _location_page(request: HttpRequest, *, desk: Desk, location: Location | None) -> HttpResponse:
    form_class = LocationEditForm if location is not None else LocationForm
    # Titles from the saved data: a failed save must not rename the page.
    if location is not None:
        title = _("Vestiging %(name)s wijzigen") % {"name": location.name}
    else:
        title = _("Nieuwe vestiging")
    crumbs = _desk_crumbs(desk)
    # The form validates a copy; the service changes the location as it was loaded.
    instance = copy.copy(location) if location is not None else Location(desk=desk)
    added_row = False
    if request.method == "POST":
        form = form_class(request.POST, instance=instance)
        hours = HoursFormSet(request.POST, prefix=HOURS_PREFIX)
        if "rij_toevoegen" in request.POST:
            # "Add a row": show the same input again with one more empty row; nothing is saved.
            form = form_class(instance=instance, initial=raw_values(form))
            rows = [raw_values(f) for f in hours.forms if not f["DELETE"].value()]
            hours = HoursFormSet(initial=rows, prefix=HOURS_PREFIX)
            hours.forms[-1].fields["kind"].widget.attrs["autofocus"] = True
            added_row = True
        elif form.is_valid() & hours.is_valid():  # both, so all errors show at once
            try:
                if location is not None:
                    services.location_update(
                        actor=request.user,
                        location=location,
                        expected_version=form.cleaned_data["version"],
                        hours=hours.rows(),
                        **form.location_values(),
                    )
                else:
                    location = services.location_create(
                        actor=request.user, desk=desk, hours=hours.rows(), **form.location_values()
                    )
            except ValidationError as exc:  # includes ConflictError
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("De vestiging %(name)s is opgeslagen.") % {"name": location.name},
                )
                return _redirect("staff:desk_detail", desk.uuid, anchor="vestigingen")
    else:
        initial = {"version": location.version} if location is not None else None
        form = form_class(instance=location, initial=initial)
        hours = HoursFormSet(initial=hours_initial(location), prefix=HOURS_PREFIX)
    context = {
        "title": title,
        "desk": desk,
        "location": location,
        "form": form,
        "hours": hours,
        "added_row": added_row,
        "breadcrumbs": crumbs,
    }
    return render(request, "network/staff/location_form.html", context)


@login_required
@GET_POST
def location_create(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    desk = _get_desk(request, desk_uuid)
    require_on_desk(request.user, Location, Action.ADD, desk)
    return _location_page(request, desk=desk, location=None)


@login_required
@GET_POST
def location_edit(request: HttpRequest, location_uuid: uuid.UUID) -> HttpResponse:
    location = (
        Location.objects.select_related("desk", "desk__region")
        .prefetch_related(
            Prefetch("hours", queryset=OpeningHours.objects.order_by("kind", "weekday", "opens"))
        )
        .get_for_user_or_404(request.user, Action.CHANGE, uuid=location_uuid)
    )
    return _location_page(request, desk=location.desk, location=location)


@login_required
@GET_POST
def location_delete(request: HttpRequest, location_uuid: uuid.UUID) -> HttpResponse:
    location = Location.objects.select_related("desk").get_for_user_or_404(
        request.user, Action.DELETE, uuid=location_uuid
    )
    desk = location.desk
    if request.method == "POST":
        services.location_delete(actor=request.user, location=location)
        messages.success(
            request, _("De vestiging %(name)s is verwijderd.") % {"name": location.name}
        )
        return _redirect("staff:desk_detail", desk.uuid, anchor="vestigingen")
    context = {
        "title": _("Vestiging %(name)s verwijderen") % {"name": location.name},
        "desk": desk,
        "location": location,
        "breadcrumbs": _desk_crumbs(desk),
    }
    return render(request, "network/staff/location_delete.html", context)


# -- team ------------------------------------------------------------------------------------


def partner_choices(user: Any, desk: Desk) -> dict[str, list[Partner]]:
    """The desk's own partners first, then every other partner, for a partner choice (see
    network.forms); the guidance pages use it too."""
    desk_partners = [
        p.partner
        for p in DeskPartnership.objects.for_user(user)
        .filter(desk=desk)
        .select_related("partner")
        .order_by("partner__name")
    ]
    return {
        "desk_partners": desk_partners,
        "all_partners": list(Partner.objects.for_user(user).order_by("name")),
    }


@login_required
@require_GET
def team_list(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    desk = _get_desk(request, desk_uuid)
    require_on_desk(user, StaffMembership, Action.VIEW, desk)
    include_ended = request.GET.get("ook_beeindigd") == "1"
    memberships = selectors.staff_memberships(user=user, desk=desk, include_ended=include_ended)
    page = paginate(request, memberships)
    audit_record(
        actor=user,
        action="membership.list",
        object_type="network.staffmembership",
        desk_id=desk.pk,
        detail={"include_ended": include_ended, "page": page.number},
    )
    context = {
        "title": _("Team van %(desk)s") % {"desk": desk.display_name},
        "desk": desk,
        "page": page,
        "include_ended": include_ended,
        "query": query_without_page(request),
        "today": timezone.localdate(),
        "permissions": DeskPermissions.of(user, desk),
        "breadcrumbs": _desk_crumbs(desk),
    }
    return render(request, "network/staff/team_list.html", context)


@login_required
@GET_POST
def membership_create(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    desk = _get_desk(request, desk_uuid)
    require_on_desk(request.user, StaffMembership, Action.ADD, desk)
    choices = partner_choices(request.user, desk)
    if request.method == "POST":
        form = MembershipCreateForm(request.POST, **choices)
        if form.is_valid():
            try:
                services.staff_membership_create(
                    actor=request.user, desk=desk, **form.service_values()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is toegevoegd aan het team.") % {"name": form.cleaned_data["name"]},
                )
                return _redirect("staff:team_list", desk.uuid)
    else:
        form = MembershipCreateForm(**choices)
    context = {
        "title": _("Teamlid toevoegen"),
        "desk": desk,
        "form": form,
        "membership": None,
        "breadcrumbs": _desk_crumbs(
            desk, (_("Team"), reverse("staff:team_list", args=[desk.uuid]))
        ),
    }
    return render(request, "network/staff/membership_form.html", context)


def _get_membership(request: HttpRequest, membership_uuid: uuid.UUID) -> StaffMembership:
    return StaffMembership.objects.select_related(
        "user", "desk", "desk__region", "mother_organisation"
    ).get_for_user_or_404(request.user, Action.CHANGE, uuid=membership_uuid)


@login_required
@GET_POST
def membership_edit(request: HttpRequest, membership_uuid: uuid.UUID) -> HttpResponse:
    membership = _get_membership(request, membership_uuid)
    desk = membership.desk
    choices = partner_choices(request.user, desk)
    if request.method == "POST":
        form = MembershipEditForm(request.POST, **choices)
        if form.is_valid():
            try:
                services.staff_membership_update(
                    actor=request.user,
                    membership=membership,
                    expected_version=form.cleaned_data["version"],
                    **form.service_values(),
                )
            except ValidationError as exc:  # includes ConflictError
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Het lidmaatschap van %(name)s is opgeslagen.")
                    % {"name": membership.user.get_full_name()},
                )
                return _redirect("staff:team_list", desk.uuid)
    else:
        form = MembershipEditForm(
            initial={
                "role": membership.role,
                "fte": membership.fte,
                "mother_organisation": (
                    str(membership.mother_organisation.uuid)
                    if membership.mother_organisation
                    else ""
                ),
                "start_date": membership.start_date,
                "end_date": membership.end_date,
                "certifications": list(membership.certifications.values_list("pk", flat=True)),
                "expertise_tags": list(membership.expertise_tags.values_list("pk", flat=True)),
                "version": membership.version,
            },
            **choices,
        )
    context = {
        "title": _("Lidmaatschap van %(name)s wijzigen")
        % {"name": membership.user.get_full_name()},
        "desk": desk,
        "form": form,
        "membership": membership,
        "breadcrumbs": _desk_crumbs(
            desk, (_("Team"), reverse("staff:team_list", args=[desk.uuid]))
        ),
    }
    return render(request, "network/staff/membership_form.html", context)


@login_required
@GET_POST
def membership_end(request: HttpRequest, membership_uuid: uuid.UUID) -> HttpResponse:
    membership = _get_membership(request, membership_uuid)
    desk = membership.desk
    if request.method == "POST":
        form = MembershipEndForm(request.POST, start_date=membership.start_date)
        if form.is_valid():
            try:
                services.staff_membership_end(
                    actor=request.user,
                    membership=membership,
                    expected_version=form.cleaned_data["version"],
                    end_date=form.cleaned_data["end_date"],
                )
            except ValidationError as exc:  # includes ConflictError
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Het lidmaatschap van %(name)s eindigt op %(date)s.")
                    % {
                        "name": membership.user.get_full_name(),
                        "date": _format_date(form.cleaned_data["end_date"]),
                    },
                )
                return _redirect("staff:team_list", desk.uuid)
    else:
        form = MembershipEndForm(
            initial={"end_date": timezone.localdate(), "version": membership.version},
            start_date=membership.start_date,
        )
    context = {
        "title": _("Lidmaatschap van %(name)s beëindigen")
        % {"name": membership.user.get_full_name()},
        "desk": desk,
        "form": form,
        "membership": membership,
        "breadcrumbs": _desk_crumbs(
            desk, (_("Team"), reverse("staff:team_list", args=[desk.uuid]))
        ),
    }
    return render(request, "network/staff/membership_end.html", context)


def _format_date(day: datetime.date) -> str:
    return date_format(day, "j F Y")


# -- partners --------------------------------------------------------------------------------


@login_required
@require_GET
def partner_list(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    desk = _get_desk(request, desk_uuid)
    require_on_desk(user, DeskPartnership, Action.VIEW, desk)
    partnerships = (
        DeskPartnership.objects.for_user(user)
        .filter(desk=desk)
        .select_related("partner", "partner__municipality")
        .order_by("-is_core", "partner__name", "pk")
    )
    context = {
        "title": _("Partners van %(desk)s") % {"desk": desk.display_name},
        "desk": desk,
        "page": paginate(request, partnerships),
        "query": query_without_page(request),
        "permissions": DeskPermissions.of(user, desk),
        "breadcrumbs": _desk_crumbs(desk),
    }
    return render(request, "network/staff/partner_list.html", context)


@login_required
@GET_POST
def partnership_add(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    desk = _get_desk(request, desk_uuid)
    require_on_desk(user, DeskPartnership, Action.ADD, desk)
    partners = Partner.objects.for_user(user).exclude(partnerships__desk=desk).order_by("name")
    if request.method == "POST":
        form = PartnershipAddForm(request.POST, partners=partners)
        if form.is_valid():
            try:
                partnership = services.desk_partnership_add(
                    actor=user, desk=desk, **form.service_values()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(partner)s is toegevoegd als partner.")
                    % {"partner": partnership.partner.name},
                )
                return _redirect("staff:partner_list", desk.uuid)
    else:
        form = PartnershipAddForm(partners=partners)
    context = {
        "title": _("Partner toevoegen"),
        "desk": desk,
        "form": form,
        "breadcrumbs": _desk_crumbs(
            desk, (_("Partners"), reverse("staff:partner_list", args=[desk.uuid]))
        ),
    }
    return render(request, "network/staff/partnership_add.html", context)


@login_required
@GET_POST
def partnership_remove(request: HttpRequest, partnership_uuid: uuid.UUID) -> HttpResponse:
    partnership = DeskPartnership.objects.select_related(
        "desk", "desk__region", "partner"
    ).get_for_user_or_404(request.user, Action.DELETE, uuid=partnership_uuid)
    desk = partnership.desk
    if request.method == "POST":
        services.desk_partnership_remove(actor=request.user, partnership=partnership)
        messages.success(
            request,
            _("%(partner)s is geen partner meer van dit loket.")
            % {"partner": partnership.partner.name},
        )
        return _redirect("staff:partner_list", desk.uuid)
    context = {
        "title": _("Partner %(partner)s verwijderen") % {"partner": partnership.partner.name},
        "desk": desk,
        "partnership": partnership,
        "breadcrumbs": _desk_crumbs(
            desk, (_("Partners"), reverse("staff:partner_list", args=[desk.uuid]))
        ),
    }
    return render(request, "network/staff/partnership_remove.html", context)
