"""Staff pages under /medewerkers/agenda/: the day's appointments, availability, events and
check-in at the door. Objects by UUID; desk data through the policies (another desk: 404);
every page that shows personal data leaves an audit event."""

from __future__ import annotations

import datetime
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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerwerk.accounts.models import User
from leerwerk.agenda import selectors, services
from leerwerk.agenda.constants import AppointmentStatus
from leerwerk.agenda.forms import AttendanceForm, AvailabilityForm, DayForm, EventForm
from leerwerk.agenda.models import (
    Appointment,
    AvailabilityBlock,
    Event,
    EventRegistration,
)
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.views_helpers import require_on_desk
from leerwerk.network.forms import add_service_errors
from leerwerk.network.models import Desk, Location, StaffMembership

GET_POST = require_http_methods(["GET", "POST"])


def _desk(request: HttpRequest, desk_uuid: uuid.UUID, model: type, action: str) -> Desk:
    desk = Desk.objects.get_for_user_or_404(request.user, uuid=desk_uuid)
    require_on_desk(request.user, model, action, desk)
    return desk


def _crumbs(desk: Desk, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Medewerkers"), reverse("staff:home")),
        (desk.display_name, reverse("staff:desk_detail", args=[desk.uuid])),
        *extra,
    ]


def _agenda_crumb(desk: Desk) -> tuple[str, str]:
    return (_("Agenda"), reverse("agenda:desk_agenda", args=[desk.uuid]))


def _events_crumb(desk: Desk) -> tuple[str, str]:
    return (_("Activiteiten"), reverse("agenda:event_list", args=[desk.uuid]))


# -- appointments ------------------------------------------------------------------------------


@login_required
@require_GET
def desk_agenda(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    """The appointments of one day (today unless another date is chosen)."""
    desk = _desk(request, desk_uuid, Appointment, Action.VIEW)
    day = DayForm(request.GET).day()
    appointments = list(selectors.day_appointments(user=request.user, desk=desk, day=day))
    audit_record(
        actor=request.user,
        action="appointment.list",
        object_type="agenda.appointment",
        desk_id=desk.pk,
        detail={"day": day.isoformat(), "count": len(appointments)},
    )
    return render(
        request,
        "agenda/staff/desk_agenda.html",
        {
            "title": _("Agenda"),
            "breadcrumbs": _crumbs(desk),
            "desk": desk,
            "day": day,
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
            "is_today": day == timezone.localdate(),
            "appointments": appointments,
            "statuses": AppointmentStatus,
        },
    )


def _advisers(desk: Desk) -> Any:
    user_ids = (
        StaffMembership.objects.active_on(timezone.localdate()).filter(desk=desk).values("user_id")
    )
    return User.objects.filter(pk__in=user_ids).order_by("name", "email")


@login_required
@GET_POST
def availability(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    desk = _desk(request, desk_uuid, AvailabilityBlock, Action.VIEW)
    locations = Location.objects.filter(desk=desk).order_by("name")
    form = AvailabilityForm(
        request.POST or None,
        advisers=_advisers(desk),
        locations=locations,
        initial={"adviser": request.user.pk},
    )
    if request.method == "POST":
        require_on_desk(request.user, AvailabilityBlock, Action.ADD, desk)
        if form.is_valid():
            try:
                block = services.availability_block_create(
                    actor=request.user, desk=desk, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("De beschikbaarheid staat online: %(count)s tijdstippen.")
                    % {"count": block.slots.count()},
                )
                return HttpResponseRedirect(request.path)
    blocks = selectors.upcoming_blocks(user=request.user, desk=desk)
    return render(
        request,
        "agenda/staff/availability.html",
        {
            "title": _("Beschikbaarheid"),
            "breadcrumbs": _crumbs(desk, _agenda_crumb(desk)),
            "desk": desk,
            "form": form,
            "blocks": blocks,
        },
    )


@login_required
@require_POST
def availability_delete(request: HttpRequest, block_uuid: uuid.UUID) -> HttpResponse:
    block = AvailabilityBlock.objects.select_related("desk").get_for_user_or_404(
        request.user, Action.DELETE, uuid=block_uuid
    )
    try:
        services.availability_block_delete(actor=request.user, block=block)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De beschikbaarheid is verwijderd."))
    return HttpResponseRedirect(reverse("agenda:availability", args=[block.desk.uuid]))


@login_required
@GET_POST
def appointment_detail(request: HttpRequest, appointment_uuid: uuid.UUID) -> HttpResponse:
    appointment = Appointment.objects.select_related(
        "desk",
        "slot",
        "slot__block",
        "slot__block__adviser",
        "slot__block__location",
        "client",
        "registration",
        "registration__type",
    ).get_for_user_or_404(request.user, uuid=appointment_uuid)
    desk = appointment.desk
    form = AttendanceForm(request.POST or None)
    if request.method == "POST":
        appointment = Appointment.objects.get_for_user_or_404(
            request.user, Action.CHANGE, uuid=appointment_uuid
        )
        action = request.POST.get("actie", "")
        try:
            if action in ("gehouden", "niet_verschenen") and form.is_valid():
                services.appointment_register_attendance(
                    actor=request.user,
                    appointment=appointment,
                    attended=action == "gehouden",
                    conversation_type=form.cleaned_data["conversation_type"],
                )
                messages.success(
                    request,
                    _("Vastgelegd. Het gesprek staat bij de klant.")
                    if action == "gehouden"
                    else _("Vastgelegd als niet verschenen. Dit staat bij de klant."),
                )
                return HttpResponseRedirect(request.path)
            if action == "afzeggen":
                services.appointment_cancel(
                    actor=request.user,
                    appointment=appointment,
                    base_url=request.build_absolute_uri("/").rstrip("/"),
                )
                messages.success(request, _("De afspraak is afgezegd. De klant krijgt een e-mail."))
                return HttpResponseRedirect(request.path)
        except ValidationError as exc:
            add_service_errors(form, exc)
    audit_record(actor=request.user, action="appointment.view", obj=appointment, desk_id=desk.pk)
    return render(
        request,
        "agenda/staff/appointment_detail.html",
        {
            "title": _("Afspraak"),
            "breadcrumbs": _crumbs(desk, _agenda_crumb(desk)),
            "desk": desk,
            "appointment": appointment,
            "form": form,
            "day": timezone.localdate(appointment.slot.starts_at),
            "can_register": appointment.status == AppointmentStatus.BOOKED
            and timezone.localdate(appointment.slot.starts_at) <= timezone.localdate(),
            "can_cancel": appointment.status == AppointmentStatus.BOOKED
            and appointment.slot.starts_at > timezone.now(),
        },
        status=400 if form.errors else 200,
    )


# -- events ------------------------------------------------------------------------------------


@login_required
@require_GET
def event_list(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    desk = _desk(request, desk_uuid, Event, Action.VIEW)
    past = request.GET.get("voorbij") == "1"
    return render(
        request,
        "agenda/staff/event_list.html",
        {
            "title": _("Activiteiten"),
            "breadcrumbs": _crumbs(desk, _agenda_crumb(desk)),
            "desk": desk,
            "events": selectors.staff_events(user=request.user, desk=desk, past=past)[:200],
            "past": past,
        },
    )


def _event_form_values(form: EventForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@login_required
@GET_POST
def event_create(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    desk = _desk(request, desk_uuid, Event, Action.ADD)
    form = EventForm(
        request.POST or None,
        locations=Location.objects.filter(desk=desk).order_by("name"),
        initial={"registration_open": True, "capacity": 20},
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, desk=desk, **_event_form_values(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De activiteit is opgeslagen."))
            return HttpResponseRedirect(reverse("agenda:event_detail", args=[event.uuid]))
    return render(
        request,
        "agenda/staff/event_form.html",
        {
            "title": _("Nieuwe activiteit"),
            "breadcrumbs": _crumbs(desk, _agenda_crumb(desk), _events_crumb(desk)),
            "desk": desk,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _event(request: HttpRequest, event_uuid: uuid.UUID, action: str = Action.VIEW) -> Event:
    return Event.objects.select_related("desk", "location").get_for_user_or_404(
        request.user, action, uuid=event_uuid
    )


@login_required
@GET_POST
def event_edit(request: HttpRequest, event_uuid: uuid.UUID) -> HttpResponse:
    event = _event(request, event_uuid, Action.CHANGE)
    desk = event.desk
    initial = {
        name: getattr(event, name)
        for name in services.EVENT_FIELDS
        if name not in ("starts_at", "ends_at")
    }
    initial["starts_at"] = timezone.localtime(event.starts_at)
    initial["ends_at"] = timezone.localtime(event.ends_at)
    form = EventForm(
        request.POST or None,
        locations=Location.objects.filter(desk=desk).order_by("name"),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = int(request.POST.get("version", ""))
            services.event_update(
                actor=request.user,
                event=event,
                expected_version=version,
                base_url=request.build_absolute_uri("/").rstrip("/"),
                **_event_form_values(form),
            )
        except ValueError:
            form.add_error(None, _("Laad de pagina opnieuw en probeer het nog eens."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De activiteit is gewijzigd."))
            return HttpResponseRedirect(reverse("agenda:event_detail", args=[event.uuid]))
    return render(
        request,
        "agenda/staff/event_form.html",
        {
            "title": _("Activiteit wijzigen"),
            "breadcrumbs": _crumbs(desk, _agenda_crumb(desk), _events_crumb(desk)),
            "desk": desk,
            "event": event,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def event_detail(request: HttpRequest, event_uuid: uuid.UUID) -> HttpResponse:
    event = _event(request, event_uuid)
    desk = event.desk
    registrations = list(selectors.event_door_list(user=request.user, event=event))
    waiting = list(selectors.event_waiting_list(user=request.user, event=event))
    audit_record(
        actor=request.user,
        action="event.registrations.view",
        obj=event,
        desk_id=desk.pk,
        detail={"registered": len(registrations), "waiting": len(waiting)},
    )
    checked_in = sum(1 for r in registrations if r.checked_in_at)
    return render(
        request,
        "agenda/staff/event_detail.html",
        {
            "title": event.title,
            "breadcrumbs": _crumbs(desk, _agenda_crumb(desk), _events_crumb(desk)),
            "desk": desk,
            "event": event,
            "registrations": registrations,
            "waiting": waiting,
            "figures": {
                "registrations": len(registrations),
                "visitors": checked_in + event.walk_ins,
                "stand_conversations": event.stand_conversations,
            },
        },
    )


def _door_context(request: HttpRequest, event: Event) -> dict[str, Any]:
    registrations = list(selectors.event_door_list(user=request.user, event=event))
    checked_in = sum(1 for r in registrations if r.checked_in_at)
    return {
        "event": event,
        "desk": event.desk,
        "registrations": registrations,
        "checked_in": checked_in,
        "visitors": checked_in + event.walk_ins,
    }


@login_required
@require_GET
def event_door(request: HttpRequest, event_uuid: uuid.UUID) -> HttpResponse:
    """Check-in at the door: a big button per person, walk-ins and stand conversations."""
    event = _event(request, event_uuid, Action.CHANGE)
    context = _door_context(request, event)
    audit_record(
        actor=request.user,
        action="event.registrations.view",
        obj=event,
        desk_id=event.desk_id,
        detail={"page": "door"},
    )
    context.update(
        {
            "title": _("Binnenkomst: %(title)s") % {"title": event.title},
            "breadcrumbs": _crumbs(
                event.desk,
                _events_crumb(event.desk),
                (event.title, reverse("agenda:event_detail", args=[event.uuid])),
            ),
        }
    )
    return render(request, "agenda/staff/event_door.html", context)


@login_required
@require_POST
def registration_check_in(request: HttpRequest, registration_uuid: uuid.UUID) -> HttpResponse:
    registration = EventRegistration.objects.select_related(
        "event", "event__desk"
    ).get_for_user_or_404(request.user, Action.CHANGE, uuid=registration_uuid)
    event = registration.event
    undo = request.POST.get("ongedaan") == "1"
    status_text = ""
    try:
        registration = services.event_check_in(
            actor=request.user, registration=registration, undo=undo
        )
    except ValidationError as exc:
        status_text = " ".join(exc.messages)
    else:
        status_text = (
            _("%(name)s staat niet meer als binnen.") if undo else _("%(name)s is binnen.")
        ) % {"name": registration.full_name}
    if not getattr(request, "htmx", False):
        if status_text:
            messages.info(request, status_text)
        return HttpResponseRedirect(reverse("agenda:event_door", args=[event.uuid]))
    event.refresh_from_db()
    context = _door_context(request, event)
    context.update({"registration": registration, "status_text": status_text})
    return render(request, "agenda/staff/_door_row.html", context)


@login_required
@require_POST
def event_counter(request: HttpRequest, event_uuid: uuid.UUID) -> HttpResponse:
    event = _event(request, event_uuid, Action.CHANGE)
    counter = request.POST.get("teller", "")
    delta = -1 if request.POST.get("richting") == "min" else 1
    if counter not in services.COUNTERS:
        messages.error(request, _("Kies wat u telt."))
        return HttpResponseRedirect(reverse("agenda:event_door", args=[event.uuid]))
    services.event_counter_change(actor=request.user, event=event, counter=counter, delta=delta)
    if not getattr(request, "htmx", False):
        return HttpResponseRedirect(reverse("agenda:event_door", args=[event.uuid]))
    context = _door_context(request, event)
    context["status_text"] = (
        _("Bezoekers zonder aanmelding: %(n)s.") % {"n": event.walk_ins}
        if counter == "walk_ins"
        else _("Gesprekken bij de stand: %(n)s.") % {"n": event.stand_conversations}
    )
    return render(request, "agenda/staff/_door_counters.html", context)


@login_required
@require_POST
def registration_cancel(request: HttpRequest, registration_uuid: uuid.UUID) -> HttpResponse:
    registration = EventRegistration.objects.select_related("event").get_for_user_or_404(
        request.user, Action.CHANGE, uuid=registration_uuid
    )
    try:
        services.event_registration_cancel(
            registration=registration,
            actor=request.user,
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De aanmelding is geannuleerd."))
    return HttpResponseRedirect(reverse("agenda:event_detail", args=[registration.event.uuid]))
