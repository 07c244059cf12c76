"""The pages that publish a draft version and delete one, shared by the two versioned rule
editors: the registration vocabulary (``guidance.views.vocabulary``) and the counting rules
(``reporting.views_rules``). Each editor passes what differs — its form, its service call, its
texts and URLs — and gets the same behaviour: service errors on the form or as messages, a
success message, and a redirect."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, Protocol

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from leerwerk.guidance.views.common import redirect_to
from leerwerk.network.forms import add_service_errors


class Version(Protocol):
    number: int
    effective_from: datetime.date | None


def publish_page(
    request: HttpRequest,
    *,
    version: Any,
    form_class: type[forms.Form],
    initial: dict[str, Any] | None,
    publish: Callable[[dict[str, Any]], Any],
    label: Callable[[Any], str],
    detail_url: Callable[[Any], str],
    previous: Version | None,
    intro: str,
    choose_after: str,
    breadcrumbs: list[tuple[str, str]],
) -> HttpResponse:
    """Publish ``version`` with ``publish(cleaned_data)`` (returns the published version).
    ``choose_after`` says which dates are allowed after the previous version's, with
    ``%(date)s`` and ``%(number)s``."""
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                published = publish(form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(version)s is gepubliceerd en geldt vanaf %(date)s.")
                    % {
                        "version": label(published),
                        "date": published.effective_from.strftime("%d-%m-%Y"),
                    },
                )
                return redirect_to(detail_url(published))
    else:
        form = form_class(initial=initial)
    if previous is not None and previous.effective_from is not None:
        intro += " " + choose_after % {
            "date": previous.effective_from.strftime("%d-%m-%Y"),
            "number": previous.number,
        }
    context = {
        "title": _("%(version)s publiceren") % {"version": label(version)},
        "intro": intro,
        "form": form,
        "submit": _("Publiceren"),
        "cancel_url": detail_url(version),
        "breadcrumbs": breadcrumbs,
    }
    return render(request, "guidance/form_page.html", context)


def draft_delete_page(
    request: HttpRequest,
    *,
    version: Any,
    delete: Callable[[], None],
    label: Callable[[Any], str],
    detail_url: Callable[[Any], str],
    list_url: str,
    template: str,
    context: dict[str, Any],
    breadcrumbs: list[tuple[str, str]],
) -> HttpResponse:
    """Ask to confirm (GET), then delete the draft ``version`` with ``delete()`` (POST); a
    refusal of the service comes back as messages on the version's page."""
    if request.method == "POST":
        try:
            delete()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect_to(detail_url(version))
        messages.success(
            request,
            _("Het concept van %(version)s is verwijderd.") % {"version": label(version)},
        )
        return redirect_to(list_url)
    page = {
        "title": _("Concept van %(version)s verwijderen") % {"version": label(version)},
        "version": version,
        "cancel_url": detail_url(version),
        "breadcrumbs": breadcrumbs,
        **context,
    }
    return render(request, template, page)
