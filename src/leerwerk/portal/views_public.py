"""Public pages of the portal: the regional home of a desk, the callback request ("kort
vraagje") and the self-tests. No account and no cookie is needed; a self-test in progress is
reached by the random address of its page and by its resume code.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerwerk.agenda import selectors as agenda_selectors
from leerwerk.core.honeypot import honeypot_filled
from leerwerk.mijn.auth import current_citizen, current_citizen_id
from leerwerk.network import selectors as network_selectors
from leerwerk.network.forms import add_service_errors
from leerwerk.network.models import Desk
from leerwerk.network.views.public import LocationView, group_hours
from leerwerk.portal import ratelimit, selectors, selftests, services
from leerwerk.portal.constants import SelfTestKind
from leerwerk.portal.forms import AnswersForm, CallbackForm, ResumeForm
from leerwerk.portal.models import SelfTestSession

GET_POST = require_http_methods(["GET", "POST"])


# -- the regional home ---------------------------------------------------------------------------


#: Upcoming activities shown on the regional home (the rest on the activities page).
HOME_EVENTS = 3


@require_GET
def regional_home(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        desk = network_selectors.public_desk_detail(slug=slug)
    except Desk.DoesNotExist:
        raise Http404 from None
    locations = [
        LocationView(location, group_hours(list(location.hours.all())))
        for location in desk.public_locations  # type: ignore[attr-defined]
    ]
    municipalities = list(
        desk.region.municipalities.order_by("name").values_list("name", flat=True)
    )
    settings_row = selectors.portal_settings_for(desk)
    waiting = selectors.waiting_time(desk, settings_row=settings_row)
    links = selectors.regional_links(desk)
    return render(
        request,
        "network/public/desk_detail.html",
        {
            "desk": desk,
            "title": desk.display_name,
            "locations": locations,
            "service_lines": list(desk.service_lines.all()),
            "municipalities": municipalities,
            "blocks": selectors.published_blocks(desk),
            "waiting": waiting,
            "busy": waiting.over_norm,
            "team": selectors.public_team(desk, show_names=settings_row.show_staff_names),
            "links": links,
            "selftests": reverse("portal_public:desk_selftest_index", args=[desk.slug]),
            "callback": reverse("portal_public:callback", args=[desk.slug]),
            "events": list(agenda_selectors.public_events(desk=desk)[:HOME_EVENTS]),
        },
    )


# -- the short question: "bel mij terug" ---------------------------------------------------------


def _published_desk(slug: str) -> Desk:
    desk = Desk.objects.published().select_related("region").filter(slug=slug).first()
    if desk is None:
        raise Http404
    return desk


@GET_POST
def callback(request: HttpRequest, slug: str) -> HttpResponse:
    desk = _published_desk(slug)
    context: dict[str, Any] = {"desk": desk, "title": _("Bel mij terug")}
    if request.method == "POST":
        if ratelimit.is_limited(request, "callback"):
            return render(request, "portal/public/rate_limited.html", context, status=429)
        form = CallbackForm(request.POST)
        if honeypot_filled(request):
            ratelimit.hit(request, "callback")  # a robot: pretend it worked, save nothing
            return HttpResponseRedirect(reverse("portal_public:callback_sent", args=[desk.slug]))
        if form.is_valid():
            try:
                services.callback_request_submit(
                    desk=desk,
                    given_name=form.cleaned_data["given_name"],
                    phone=form.cleaned_data["phone"],
                    question=form.cleaned_data["question"],
                    consent=form.cleaned_data["consent"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                ratelimit.hit(request, "callback")
                return HttpResponseRedirect(
                    reverse("portal_public:callback_sent", args=[desk.slug])
                )
    else:
        form = CallbackForm()
    context["form"] = form
    return render(request, "portal/public/callback_form.html", context)


@require_GET
def callback_sent(request: HttpRequest, slug: str) -> HttpResponse:
    desk = _published_desk(slug)
    return render(
        request, "portal/public/callback_sent.html", {"desk": desk, "title": _("Wij bellen u")}
    )


# -- self-tests ----------------------------------------------------------------------------------


def _optional_desk(slug: str | None) -> Desk | None:
    return _published_desk(slug) if slug else None


@require_GET
def selftest_index(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    desk = _optional_desk(slug)
    return render(
        request,
        "portal/selftest/index.html",
        {
            "desk": desk,
            "title": _("Zelftesten: wie ben ik, wat wil ik, wat kan ik?"),
            "tests": list(selftests.TESTS.values()),
            "resume_form": ResumeForm(),
        },
    )


@GET_POST
def selftest_intro(request: HttpRequest, kind: str, slug: str | None = None) -> HttpResponse:
    if kind not in SelfTestKind.values:
        raise Http404
    desk = _optional_desk(slug)
    test = selftests.get_test(kind)
    if request.method == "POST":
        session = services.selftest_start(kind=kind, desk=desk, account=current_citizen(request))
        return HttpResponseRedirect(_page_url(session, 1))
    return render(
        request,
        "portal/selftest/intro.html",
        {
            "desk": desk,
            "test": test,
            "title": test.title,
            "per_page": selftests.ITEMS_PER_PAGE,
        },
    )


def _session_or_404(request: HttpRequest, session_uuid: uuid.UUID) -> SelfTestSession:
    """An unexpired test, or one saved in a Mijn Leerwerkloket account: that one opens only
    for the citizen logged in to that account."""
    session = (
        SelfTestSession.objects.select_related("desk")
        .filter(Q(expires_at__gt=timezone.now()) | Q(account__isnull=False), uuid=session_uuid)
        .first()
    )
    if session is None:
        raise Http404
    if session.account_id is not None and session.account_id != current_citizen_id(request):
        raise Http404
    return session


def _page_url(session: SelfTestSession, page: int) -> str:
    return reverse("portal_public:selftest_page", args=[session.uuid, page])


def _first_open_page(session: SelfTestSession) -> int:
    test = selftests.get_test(session.kind)
    answers = selftests.clean_answers(test, session.answers)
    for page in range(1, test.pages + 1):
        if any(item.id not in answers for item in test.page_items(page)):
            return page
    return test.pages


@never_cache
@GET_POST
def selftest_page(request: HttpRequest, session_uuid: uuid.UUID, page: int) -> HttpResponse:
    session = _session_or_404(request, session_uuid)
    test = selftests.get_test(session.kind)
    if not 1 <= page <= test.pages:
        raise Http404
    saved = selftests.clean_answers(test, session.answers)
    if request.method == "POST":
        action = request.POST.get("actie", "verder")
        form = AnswersForm(request.POST, test=test, page=page)
        # Going back or saving for later keeps what was filled in without demanding the rest.
        form.set_required(action == "verder")
        if form.is_valid():
            answers = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            services.selftest_save_answers(session=session, answers=answers)
            if action == "terug" and page > 1:
                return HttpResponseRedirect(_page_url(session, page - 1))
            if action == "bewaren":
                return HttpResponseRedirect(
                    reverse("portal_public:selftest_saved", args=[session.uuid])
                )
            if page < test.pages:
                return HttpResponseRedirect(_page_url(session, page + 1))
            if session.completed_at is None:  # an earlier page was skipped
                return HttpResponseRedirect(_page_url(session, _first_open_page(session)))
            return HttpResponseRedirect(
                reverse("portal_public:selftest_result", args=[session.uuid])
            )
    else:
        form = AnswersForm(
            test=test,
            page=page,
            initial={
                item.id: str(saved[item.id]) for item in test.page_items(page) if item.id in saved
            },
        )
    first_number = (page - 1) * selftests.ITEMS_PER_PAGE + 1
    return render(
        request,
        "portal/selftest/page.html",
        {
            "desk": session.desk,
            "session": session,
            "test": test,
            "form": form,
            "page": page,
            "pages": test.pages,
            "first_number": first_number,
            "answered": len(saved),
            "title": _("%(test)s – deel %(page)s van %(pages)s")
            % {"test": test.title, "page": page, "pages": test.pages},
        },
    )


@never_cache
@require_GET
def selftest_saved(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = _session_or_404(request, session_uuid)
    link = request.build_absolute_uri(
        reverse(
            "portal_public:selftest_resume_link", args=[services.selftest_resume_token(session)]
        )
    )
    return render(
        request,
        "portal/selftest/saved.html",
        {
            "desk": session.desk,
            "session": session,
            "test": selftests.get_test(session.kind),
            "resume_link": link,
            "title": _("Uw test is bewaard"),
        },
    )


@GET_POST
def selftest_resume(request: HttpRequest) -> HttpResponse:
    """Go on with a saved test by typing the resume code."""
    form = ResumeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if ratelimit.is_limited(request, "resume"):
            return render(
                request,
                "portal/public/rate_limited.html",
                {"title": _("Even wachten"), "desk": None},
                status=429,
            )
        if form.is_valid():
            ratelimit.hit(request, "resume")
            session = services.selftest_find_by_code(form.cleaned_data["code"])
            if session is not None:
                return HttpResponseRedirect(_resume_target(session))
            form.add_error(
                "code",
                _(
                    "Wij vinden geen test met deze code. Controleer de code. Na 30 dagen vervalt een test."
                ),
            )
            status = 404
    return render(
        request,
        "portal/selftest/resume.html",
        {"form": form, "title": _("Verder met een bewaarde test"), "desk": None},
        status=status,
    )


@require_GET
def selftest_resume_link(request: HttpRequest, token: str) -> HttpResponse:
    session = services.selftest_find_by_token(token)
    if session is None:
        raise Http404
    return HttpResponseRedirect(_resume_target(session))


def _resume_target(session: SelfTestSession) -> str:
    if session.completed_at is not None:
        return reverse("portal_public:selftest_result", args=[session.uuid])
    return _page_url(session, _first_open_page(session))


def _result_context(session: SelfTestSession) -> dict[str, Any]:
    test = selftests.get_test(session.kind)
    answers = selftests.clean_answers(test, session.answers)
    scores = selftests.score(test, answers)
    context: dict[str, Any] = {
        "desk": session.desk,
        "session": session,
        "test": test,
        "scores": scores,
        "top": scores[: selftests.TOP_THEMES],
        "scale_low": min(test.values),
        "scale_high": max(test.values),
        "title": _("Uw uitslag: %(test)s") % {"test": test.title},
        "links": selectors.regional_links(session.desk) if session.desk else {},
    }
    if session.kind == SelfTestKind.INTERESTS:
        groups = selftests.isco_groups_for(scores)
        context["occupation_groups"] = selectors.occupation_groups(groups)
        context["opportunities"] = selectors.regional_opportunities(session.desk, groups)
        context["training_search"] = (
            context["links"].get("training")
            if session.desk
            else selectors.existing_path("/opleidingen/")
        )
    if session.kind == SelfTestKind.SKILLS:
        context["low_skills"] = [s for s in scores if s.score < 50]
    return context


@never_cache
@require_GET
def selftest_result(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = _session_or_404(request, session_uuid)
    if session.completed_at is None:
        return HttpResponseRedirect(_page_url(session, _first_open_page(session)))
    return render(request, "portal/selftest/result.html", _result_context(session))


@never_cache
@require_GET
def selftest_result_pdf(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = _session_or_404(request, session_uuid)
    if session.completed_at is None:
        raise Http404
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("portal/selftest/result_pdf.html", _result_context(session), request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="zelftest-uitslag.pdf"'
    return response


@never_cache
@require_POST
def selftest_share(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    """The citizen's explicit step: make a share code for the adviser."""
    session = _session_or_404(request, session_uuid)
    if ratelimit.is_limited(request, "share"):
        return render(
            request,
            "portal/public/rate_limited.html",
            {"title": _("Even wachten"), "desk": session.desk},
            status=429,
        )
    try:
        share = services.selftest_share_create(session=session)
    except ValidationError:
        return HttpResponseRedirect(_page_url(session, _first_open_page(session)))
    ratelimit.hit(request, "share")
    return render(
        request,
        "portal/selftest/shared.html",
        {
            "desk": session.desk,
            "session": session,
            "share": share,
            "test": selftests.get_test(session.kind),
            "title": _("Uw deelcode"),
        },
    )
