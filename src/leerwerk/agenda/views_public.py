"""Public pages: book an appointment, manage it through the signed link, find and join events.

Against abuse: CSRF on every form, a honeypot field (a filled one "succeeds" without saving),
and a limit of submissions per client address, counted in the cache under a hash (no IP
address is stored). Signed links that were altered or have expired get a clear page.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from leerwerk.agenda import notifications, selectors, services, tokens
from leerwerk.agenda.constants import AppointmentStatus, EventRegistrationStatus
from leerwerk.agenda.forms import BookingForm, EventRegistrationForm
from leerwerk.agenda.models import Appointment, EventRegistration
from leerwerk.core.honeypot import HONEYPOT_FIELD, honeypot_filled
from leerwerk.core.http import client_ip
from leerwerk.core.views_helpers import paginate, query_without_page
from leerwerk.mijn.auth import current_citizen
from leerwerk.network.forms import add_service_errors
from leerwerk.network.models import Desk

RATE_LIMIT = 10
RATE_WINDOW_SECONDS = 10 * 60
GET_POST = require_http_methods(["GET", "POST"])


# -- helpers -----------------------------------------------------------------------------------


def _rate_key(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_ip(request)}".encode()).hexdigest()
    return f"agenda-public:ip:{digest[:32]}"


def _rate_limited(request: HttpRequest) -> bool:
    limit = getattr(settings, "LEERWERK_AGENDA_PUBLIC_LIMIT", RATE_LIMIT)
    return (cache.get(_rate_key(request)) or 0) >= limit


def _count_submission(request: HttpRequest) -> None:
    key = _rate_key(request)
    window = getattr(settings, "LEERWERK_AGENDA_PUBLIC_WINDOW_SECONDS", RATE_WINDOW_SECONDS)
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)


def _too_many(request: HttpRequest, desk: Desk | None) -> HttpResponse:
    return render(
        request,
        "agenda/public/rate_limited.html",
        {"desk": desk, "title": _("Even wachten")},
        status=429,
    )


def _published_desk(slug: str) -> Desk:
    desk = Desk.objects.published().select_related("region").filter(slug=slug).first()
    if desk is None:
        raise Http404
    return desk


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _bad_link(request: HttpRequest, *, expired: bool, kind: str) -> HttpResponse:
    return render(
        request,
        "agenda/public/link_problem.html",
        {"title": _("Deze link werkt niet"), "expired": expired, "kind": kind},
        status=410 if expired else 400,
    )


# -- appointments ------------------------------------------------------------------------------


@require_GET
def slot_list(request: HttpRequest, slug: str) -> HttpResponse:
    desk = _published_desk(slug)
    days = selectors.slots_by_day(selectors.free_slots(desk=desk))
    return render(
        request,
        "agenda/public/slot_list.html",
        {
            "desk": desk,
            "days": days,
            "title": _("Maak een afspraak met %(desk)s") % {"desk": desk.display_name},
        },
    )


@GET_POST
def book(request: HttpRequest, slug: str, slot_uuid: uuid.UUID) -> HttpResponse:
    desk = _published_desk(slug)
    slot = selectors.free_slot(desk=desk, uuid=slot_uuid)
    context = {"desk": desk, "slot": slot, "title": _("Uw gegevens voor de afspraak")}
    if slot is None:
        return render(request, "agenda/public/slot_gone.html", context, status=404)
    if request.method == "POST":
        if _rate_limited(request):
            return _too_many(request, desk)
        form = BookingForm(request.POST)
        if honeypot_filled(request):
            _count_submission(request)  # a robot: pretend it worked, save nothing
            return HttpResponseRedirect(reverse("agenda_public:slot_list", args=[desk.slug]))
        if form.is_valid():
            values = {
                k: v for k, v in form.cleaned_data.items() if k not in ("consent", HONEYPOT_FIELD)
            }
            try:
                appointment = services.appointment_book(
                    desk=desk,
                    slot=slot,
                    consent=form.cleaned_data["consent"],
                    base_url=_base_url(request),
                    account=current_citizen(request),
                    **values,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                _count_submission(request)
                messages.success(
                    request, _("Uw afspraak is gemaakt. U krijgt een bevestiging per e-mail.")
                )
                return HttpResponseRedirect(
                    notifications.appointment_manage_url(appointment, _base_url(request))
                )
    else:
        account = current_citizen(request)
        form = BookingForm(initial={"email": account.email} if account is not None else None)
    context["form"] = form
    return render(request, "agenda/public/book.html", context)


def _appointment_from_token(token: str) -> Appointment:
    found = tokens.read_token(token, purpose=tokens.APPOINTMENT)
    appointment = (
        Appointment.objects.select_related("desk", "slot", "slot__block", "slot__block__location")
        .filter(uuid=found)
        .first()
    )
    if appointment is None:
        raise tokens.TokenInvalid
    return appointment


@GET_POST
def appointment_manage(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen's page behind the link in the e-mail: see, cancel or move the appointment."""
    try:
        appointment = _appointment_from_token(token)
    except tokens.TokenExpired:
        return _bad_link(request, expired=True, kind="appointment")
    except tokens.TokenInvalid:
        return _bad_link(request, expired=False, kind="appointment")
    desk = appointment.desk
    error = ""
    if request.method == "POST":
        action = request.POST.get("actie", "")
        try:
            if action == "afzeggen":
                services.appointment_cancel(appointment=appointment, base_url=_base_url(request))
                messages.success(request, _("Uw afspraak is afgezegd."))
                return HttpResponseRedirect(request.path)
            if action == "verzetten":
                chosen = _parse_uuid(request.POST.get("tijdstip", ""))
                slot = selectors.free_slot(desk=desk, uuid=chosen) if chosen else None
                if slot is None:
                    raise ValidationError(_slot_gone_message())
                new = services.appointment_reschedule(
                    appointment=appointment, slot=slot, base_url=_base_url(request)
                )
                messages.success(
                    request,
                    _("Uw afspraak is verzet. U krijgt een nieuwe bevestiging per e-mail."),
                )
                return HttpResponseRedirect(
                    notifications.appointment_manage_url(new, _base_url(request))
                )
            error = _("Kies wat u wilt doen.")
        except ValidationError as exc:
            error = " ".join(exc.messages)
    moved_to = None
    if appointment.status == AppointmentStatus.CANCELLED:
        moved_to = getattr(appointment, "rescheduled_to", None)
    can_change = appointment.status == AppointmentStatus.BOOKED
    days = selectors.slots_by_day(selectors.free_slots(desk=desk)[:60]) if can_change else []
    return render(
        request,
        "agenda/public/appointment_manage.html",
        {
            "title": _("Uw afspraak"),
            "desk": desk,
            "appointment": appointment,
            "place": notifications.appointment_place(appointment),
            "can_change": can_change,
            "moved_to": moved_to,
            "days": days,
            "error": error,
        },
        status=400 if error else 200,
    )


def _parse_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _slot_gone_message() -> str:
    return _("Dit tijdstip is niet meer vrij. Kies een ander tijdstip.")


# -- events ------------------------------------------------------------------------------------


@require_GET
def event_list(request: HttpRequest, slug: str) -> HttpResponse:
    desk = _published_desk(slug)
    return _event_list(
        request,
        desk,
        selectors.public_events(desk=desk),
        _("Activiteiten van %(desk)s") % {"desk": desk.display_name},
    )


@require_GET
def national_event_list(request: HttpRequest) -> HttpResponse:
    return _event_list(
        request, None, selectors.public_events(), _("Activiteiten van alle leerwerkloketten")
    )


#: Events per page of the public lists.
EVENTS_PER_PAGE = 20


def _event_list(request: HttpRequest, desk: Desk | None, events: Any, title: str) -> HttpResponse:
    page = paginate(request, events, per_page=EVENTS_PER_PAGE)
    return render(
        request,
        "agenda/public/event_list.html",
        {
            "desk": desk,
            "events": page,
            "page": page,
            "page_query": query_without_page(request),
            "title": title,
        },
    )


@GET_POST
def event_detail(request: HttpRequest, slug: str, event_uuid: uuid.UUID) -> HttpResponse:
    desk = _published_desk(slug)
    event = selectors.public_event(desk=desk, uuid=event_uuid)
    if event is None:
        raise Http404
    if request.method == "POST":
        if _rate_limited(request):
            return _too_many(request, desk)
        form = EventRegistrationForm(request.POST)
        if honeypot_filled(request):
            _count_submission(request)
            return HttpResponseRedirect(
                reverse("agenda_public:event_registered", args=[desk.slug, event.uuid])
            )
        if form.is_valid():
            try:
                registration = services.event_register(
                    event=event,
                    given_name=form.cleaned_data["given_name"],
                    family_name=form.cleaned_data["family_name"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    consent=form.cleaned_data["consent"],
                    base_url=_base_url(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                _count_submission(request)
                url = reverse("agenda_public:event_registered", args=[desk.slug, event.uuid])
                if registration.status == EventRegistrationStatus.WAITING:
                    url += "?wachtlijst=1"
                return HttpResponseRedirect(url)
    else:
        form = EventRegistrationForm()
    full = event.taken >= event.capacity  # type: ignore[attr-defined]
    return render(
        request,
        "agenda/public/event_detail.html",
        {
            "desk": desk,
            "event": event,
            "place": notifications.event_place(event),
            "form": form,
            "full": full,
            "free": max(event.capacity - event.taken, 0),  # type: ignore[attr-defined]
            "can_register": event.registration_open,
            "title": event.title,
        },
    )


@require_GET
def event_registered(request: HttpRequest, slug: str, event_uuid: uuid.UUID) -> HttpResponse:
    desk = _published_desk(slug)
    event = selectors.public_event(desk=desk, uuid=event_uuid)
    if event is None:
        raise Http404
    waiting = request.GET.get("wachtlijst") == "1"
    return render(
        request,
        "agenda/public/event_registered.html",
        {
            "desk": desk,
            "event": event,
            "waiting": waiting,
            "title": _("U staat op de wachtlijst") if waiting else _("U bent aangemeld"),
        },
    )


@GET_POST
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = tokens.read_token(token, purpose=tokens.EVENT_REGISTRATION)
        registration = (
            EventRegistration.objects.select_related("event", "event__desk", "event__location")
            .filter(uuid=found)
            .first()
        )
        if registration is None:
            raise tokens.TokenInvalid
    except tokens.TokenExpired:
        return _bad_link(request, expired=True, kind="event")
    except tokens.TokenInvalid:
        return _bad_link(request, expired=False, kind="event")
    error = ""
    if request.method == "POST":
        try:
            services.event_registration_cancel(
                registration=registration, base_url=_base_url(request)
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("U bent afgemeld. U krijgt een bevestiging per e-mail."))
            return HttpResponseRedirect(request.path)
    return render(
        request,
        "agenda/public/registration_cancel.html",
        {
            "title": _("Afmelden"),
            "registration": registration,
            "event": registration.event,
            "desk": registration.event.desk,
            "place": notifications.event_place(registration.event),
            "cancelled": registration.status == EventRegistrationStatus.CANCELLED,
            "error": error,
        },
        status=400 if error else 200,
    )
