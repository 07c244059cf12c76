"""The audit log of one desk (/medewerkers/loketten/<desk>/auditlog/), for its desk managers.

The events name identifiers, never personal data, and this page keeps it that way: object
UUIDs are not resolved to names. Who may read it is the audit event policy's answer (the
desk's desk managers, administrators). Someone who works at the desk without that right gets
403; anyone else gets 404, as for every other object of a desk they do not work at.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from leerwerk.core.access import access_for
from leerwerk.core.constants import Action, DeskRole, GlobalRole
from leerwerk.core.models import AuditEvent
from leerwerk.core.policies import policy_for
from leerwerk.core.views_helpers import paginate, query_without_page
from leerwerk.network.forms import DateInput, StyledForm
from leerwerk.network.models import Desk
from leerwerk.network.views.staff import DeskPermissions

PAGE_SIZE = 50

#: Dutch names of the actions the services and pages record. Unknown actions show their code.
ACTION_LABELS: dict[str, Any] = {
    "admin.view": gettext_lazy("Bekeken in technisch beheer"),
    "client.create": gettext_lazy("Klant aangemaakt"),
    "client.erase": gettext_lazy("Klantgegevens gewist"),
    "client.export": gettext_lazy("Klantgegevens geëxporteerd"),
    "client.merge": gettext_lazy("Klanten samengevoegd"),
    "client.search": gettext_lazy("Klanten gezocht"),
    "client.update": gettext_lazy("Klant gewijzigd"),
    "client.view": gettext_lazy("Klant bekeken"),
    "consent.give": gettext_lazy("Toestemming gegeven"),
    "consent.withdraw": gettext_lazy("Toestemming ingetrokken"),
    "desk.update": gettext_lazy("Instellingen van het loket gewijzigd"),
    "employer.contact_person.add": gettext_lazy("Contactpersoon van werkgever toegevoegd"),
    "employer.create": gettext_lazy("Werkgever toegevoegd"),
    "employer.list": gettext_lazy("Werkgevers bekeken"),
    "employer.update": gettext_lazy("Werkgever gewijzigd"),
    "employer.view": gettext_lazy("Werkgever bekeken"),
    "location.create": gettext_lazy("Vestiging toegevoegd"),
    "location.delete": gettext_lazy("Vestiging verwijderd"),
    "location.update": gettext_lazy("Vestiging gewijzigd"),
    "membership.create": gettext_lazy("Teamlid toegevoegd"),
    "membership.list": gettext_lazy("Team bekeken"),
    "membership.update": gettext_lazy("Teamlid gewijzigd"),
    "partnership.add": gettext_lazy("Partner toegevoegd"),
    "partnership.remove": gettext_lazy("Partner verwijderd"),
    "partnership.update": gettext_lazy("Partner gewijzigd"),
    "registration.create": gettext_lazy("Registratie toegevoegd"),
    "registration.delete": gettext_lazy("Registratie verwijderd"),
    "registration.update": gettext_lazy("Registratie gewijzigd"),
    "request.accept": gettext_lazy("Aanvraag in behandeling genomen"),
    "request.dismiss": gettext_lazy("Aanvraag afgewezen"),
    "request.refer": gettext_lazy("Verwijzing van partner ontvangen"),
    "request.register": gettext_lazy("Aanvraag geregistreerd"),
    "request.submit": gettext_lazy("Aanvraag via de website ontvangen"),
    "request.view": gettext_lazy("Aanvraag bekeken"),
    "trajectory.assign": gettext_lazy("Adviseur van traject gewijzigd"),
    "trajectory.close": gettext_lazy("Traject afgesloten"),
    "trajectory.open": gettext_lazy("Traject geopend"),
    "trajectory.transition": gettext_lazy("Status van traject gewijzigd"),
    "trajectory.update": gettext_lazy("Traject gewijzigd"),
    "trajectory.view": gettext_lazy("Traject bekeken"),
}

RESULT_LABELS: dict[str, Any] = {
    "ok": gettext_lazy("Gelukt"),
    "denied": gettext_lazy("Geweigerd"),
    "error": gettext_lazy("Mislukt"),
}

ROLE_LABELS: dict[str, Any] = {**dict(DeskRole.choices), **dict(GlobalRole.choices)}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def role_label(roles: str) -> str:
    """'adviser,desk_manager' → 'Adviseur, Projectleider'."""
    return ", ".join(str(ROLE_LABELS.get(role, role)) for role in roles.split(",") if role)


def object_type_label(label: str) -> str:
    """'clients.client' → 'Klant' (the model's name); the code when it is not a model."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(model._meta.verbose_name).capitalize()


class AuditFilterForm(StyledForm):
    handeling = forms.ChoiceField(label=gettext_lazy("Handeling"), required=False)
    van = forms.DateField(
        label=gettext_lazy("Van"),
        required=False,
        widget=DateInput,
        error_messages={
            "invalid": gettext_lazy("Vul een geldige datum in, bijvoorbeeld 31-01-2026.")
        },
    )
    tot = forms.DateField(
        label=gettext_lazy("Tot en met"),
        required=False,
        widget=DateInput,
        error_messages={
            "invalid": gettext_lazy("Vul een geldige datum in, bijvoorbeeld 31-01-2026.")
        },
    )

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = sorted(((code, action_label(code)) for code in actions), key=lambda c: c[1])
        field = self.fields["handeling"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (narrowing for mypy)
        field.choices = [("", _("Alle handelingen")), *choices]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("Kies een einddatum op of na de begindatum."))
        return cleaned


@dataclass(frozen=True)
class AuditRow:
    at: datetime.datetime
    who: str
    role: str
    action: str
    action_code: str
    object_type: str
    result: str
    failed: bool


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the current time zone (Europe/Amsterdam)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _get_desk_for_audit(request: HttpRequest, desk_uuid: uuid.UUID) -> Desk:
    user = request.user
    desk = Desk.objects.get_for_user_or_404(user, Action.VIEW, uuid=desk_uuid)
    if not policy_for(AuditEvent).can_on_desk(user, Action.VIEW, desk.pk):
        # Staff of this desk learn they lack the right; for everyone else the log does not exist.
        if access_for(user).roles_at(desk.pk):
            raise PermissionDenied
        raise Http404
    return desk


@login_required
@require_GET
def audit_list(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    desk = _get_desk_for_audit(request, desk_uuid)
    events = AuditEvent.objects.for_user(user).filter(desk=desk)
    actions = list(events.order_by("action").values_list("action", flat=True).distinct())
    form = AuditFilterForm(request.GET or None, actions=actions)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        filters = form.cleaned_data  # the valid parts; errors are shown at their fields
    if filters.get("handeling"):
        events = events.filter(action=filters["handeling"])
    if filters.get("van"):
        events = events.filter(at__gte=_start_of(filters["van"]))
    if filters.get("tot"):
        events = events.filter(at__lt=_start_of(filters["tot"] + datetime.timedelta(days=1)))
    page = paginate(request, events.order_by("-at", "-pk"), per_page=PAGE_SIZE)
    actor_ids = {event.actor_id for event in page if event.actor_id is not None}
    names = {
        pk: name or email
        for pk, name, email in get_user_model()
        .objects.filter(pk__in=actor_ids)
        .values_list("pk", "name", "email")
    }
    rows = [
        AuditRow(
            at=event.at,
            who=(
                names.get(event.actor_id, _("Onbekende gebruiker"))
                if event.actor_id is not None
                else _("Niet ingelogd")
            ),
            role=role_label(event.actor_role) or "–",
            action=action_label(event.action),
            action_code=event.action,
            object_type=object_type_label(event.object_type) if event.object_type else "–",
            result=str(RESULT_LABELS.get(event.result, event.result)),
            failed=event.result != "ok",
        )
        for event in page
    ]
    context = {
        "title": _("Auditlog van %(desk)s") % {"desk": desk.display_name},
        "desk": desk,
        "permissions": DeskPermissions.of(user, desk),
        "form": form,
        "filtered": any(filters.get(name) for name in ("handeling", "van", "tot")),
        "page": page,
        "rows": rows,
        "query": query_without_page(request),
        "breadcrumbs": [
            (_("Medewerkers"), reverse("staff:home")),
            (desk.display_name, reverse("staff:desk_detail", args=[desk.uuid])),
        ],
    }
    return render(request, "core/audit_list.html", context)
