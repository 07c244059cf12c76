"""Writes of the portal. Keyword-only, one transaction each, permission checked by the policy.

The public writes (self-tests, visit counts, the callback request) have no actor: they are
reached through random codes or count anonymously and hold no personal data, except the
callback request, which becomes a guidance IntakeRequest through guidance's own service.
"""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.exceptions import ConflictError
from leerwerk.core.policies import require_permission
from leerwerk.core.services import save_versioned, unchanged_on_error
from leerwerk.guidance import services as guidance_services
from leerwerk.guidance.constants import QuestionTheme
from leerwerk.guidance.models import IntakeRequest, Trajectory
from leerwerk.network.models import Desk
from leerwerk.portal import selftests
from leerwerk.portal.constants import SELFTEST_RETENTION_DAYS, ContentSlot, SelfTestKind
from leerwerk.portal.markup import render_markdown
from leerwerk.portal.models import (
    ContentBlock,
    DeskPortalSettings,
    PageVisitCount,
    SelfTestSession,
    SelfTestShare,
    SiteDomain,
)

#: Letters and digits without look-alikes (no 0/O, 1/I/L), for codes people type over.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RESUME_CODE_GROUPS = 3  # three groups of four characters: 31^12 possibilities
SHARE_CODE_GROUPS = 2  # two groups of four: typed by an adviser who is logged in
RESUME_SALT = "leerwerk.portal.selftest.resume"
DOMAIN_CACHE_KEY = "portal:site-domains"
WAITING_CACHE_KEY = "portal:waiting:{desk_id}"


def new_code(groups: int) -> str:
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(groups))


def normalise_code(raw: str) -> str:
    """What a person typed, as stored: upper case, groups of four with dashes."""
    letters = "".join(ch for ch in raw.upper() if ch.isalnum())
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


# -- content blocks and settings -----------------------------------------------------------------


@transaction.atomic
def content_block_save(
    *,
    actor: Any,
    desk: Desk,
    slot: str,
    title: str,
    body: str,
    is_published: bool,
    expected_version: int | None,
) -> ContentBlock:
    """Create or change the block of ``desk`` at ``slot``. ``expected_version`` is the version
    the editor started from (None for a new block); a save against an older version raises
    ConflictError and writes nothing."""
    if slot not in ContentSlot.values:
        raise ValidationError({"slot": _("Kies een plaats op de pagina.")})
    block = ContentBlock.objects.filter(desk=desk, slot=slot).first()
    if block is None:
        require_permission(actor, Action.ADD, ContentBlock, desk_id=desk.pk)
        if expected_version:
            # The editor had a version, but the block is gone: someone removed it meanwhile.
            raise ConflictError
        block = ContentBlock(desk=desk, slot=slot)
        action = "content_block.create"
    else:
        require_permission(actor, Action.CHANGE, ContentBlock, obj=block)
        if expected_version is None:  # the editor started from "no text yet"
            raise ConflictError
        action = "content_block.change"
    block.title = title.strip()
    block.body = body.strip()
    block.is_published = is_published
    block.body_html = render_markdown(block.body)
    block.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    block.full_clean(exclude=["desk", "updated_by"])
    if block.pk is None:
        try:
            with transaction.atomic():
                block.save()
        except IntegrityError:  # created by someone else between our read and write
            raise ConflictError from None
    else:
        with unchanged_on_error(block):
            save_versioned(
                block,
                expected_version=expected_version,
                fields=["title", "body", "body_html", "is_published", "updated_by"],
            )
    audit_record(actor=actor, action=action, obj=block, desk_id=desk.pk, detail={"slot": slot})
    return block


@transaction.atomic
def portal_settings_save(
    *,
    actor: Any,
    desk: Desk,
    norm_days: int,
    intakes_per_fte_week: Decimal,
    show_staff_names: bool,
    expected_version: int | None,
) -> DeskPortalSettings:
    row = DeskPortalSettings.objects.filter(desk=desk).first()
    if row is None:
        require_permission(actor, Action.ADD, DeskPortalSettings, desk_id=desk.pk)
        row = DeskPortalSettings(desk=desk)
    else:
        require_permission(actor, Action.CHANGE, DeskPortalSettings, obj=row)
        if expected_version is None:  # the form started from the defaults
            raise ConflictError
    row.norm_days = norm_days
    row.intakes_per_fte_week = intakes_per_fte_week
    row.show_staff_names = show_staff_names
    row.full_clean(exclude=["desk"])
    if row.pk is None:
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise ConflictError from None
    else:
        with unchanged_on_error(row):
            save_versioned(
                row,
                expected_version=expected_version,
                fields=["norm_days", "intakes_per_fte_week", "show_staff_names"],
            )
    # Dropped now and again after the commit, so no request re-caches the old norm meanwhile.
    key = WAITING_CACHE_KEY.format(desk_id=desk.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
    audit_record(actor=actor, action="portal_settings.change", obj=desk, desk_id=desk.pk)
    return row


@transaction.atomic
def site_domain_save(*, actor: Any, domain: SiteDomain) -> SiteDomain:
    """Add or change a desk's own domain (administrators, from the admin)."""
    if domain.pk is None:
        action = Action.ADD
        require_permission(actor, action, SiteDomain, desk_id=domain.desk_id)
    else:
        action = Action.CHANGE
        require_permission(actor, action, SiteDomain, obj=domain)
    domain.host = domain.host.strip().lower().rstrip(".")
    domain.full_clean()
    domain.save()
    cache.delete(DOMAIN_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(DOMAIN_CACHE_KEY))
    audit_record(
        actor=actor,
        action=f"site_domain.{action}",
        obj=domain,
        desk_id=domain.desk_id,
        detail={"host": domain.host},
    )
    return domain


@transaction.atomic
def site_domain_delete(*, actor: Any, domain: SiteDomain) -> None:
    require_permission(actor, Action.DELETE, SiteDomain, obj=domain)
    desk_id = domain.desk_id
    audit_record(actor=actor, action="site_domain.delete", obj=domain, desk_id=desk_id)
    domain.delete()
    cache.delete(DOMAIN_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(DOMAIN_CACHE_KEY))


# -- the short question: a callback request ------------------------------------------------------


def callback_request_submit(
    *, desk: Desk, given_name: str, phone: str, question: str, consent: bool
) -> IntakeRequest:
    """ "Bel mij terug": lands as a new IntakeRequest (web form, contact by phone) through
    guidance's public service, so consent, validation and the audit trail are guidance's."""
    prefix = _("Terugbelverzoek (kort vraagje)")
    return guidance_services.intake_request_submit_public(
        desk=desk,
        consent=consent,
        theme=QuestionTheme.OTHER,
        description=f"{prefix}: {question.strip()}",
        given_name=given_name.strip(),
        family_name="",
        phone=phone.strip(),
        email="",
        contact_preference="phone",
    )


# -- self-tests ----------------------------------------------------------------------------------


def _expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=SELFTEST_RETENTION_DAYS)


@transaction.atomic
def selftest_start(*, kind: str, desk: Desk | None, account: Any = None) -> SelfTestSession:
    """A new test; started by a citizen who is logged in to Mijn Leerwerkloket, it is saved in
    their account (``account``)."""
    if kind not in SelfTestKind.values:
        raise ValidationError(_("Deze test bestaat niet."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return SelfTestSession.objects.create(
                    kind=kind,
                    desk=desk,
                    account=account,
                    resume_code=new_code(RESUME_CODE_GROUPS),
                    expires_at=_expiry(),
                )
        except IntegrityError:  # pragma: no cover - a code collision, astronomically rare
            continue
    raise RuntimeError("could not create a unique resume code")


def selftest_is_expired(session: SelfTestSession) -> bool:
    """A test saved in an account does not expire (it goes with the account)."""
    return session.account_id is None and session.expires_at <= timezone.now()


@transaction.atomic
def selftest_save_answers(*, session: SelfTestSession, answers: dict[str, Any]) -> SelfTestSession:
    """Merge ``answers`` (item id → value) into the saved ones; unknown ids and values off the
    scale are ignored. Each save keeps the test another 30 days. A complete test gets its
    completion time (once)."""
    if selftest_is_expired(session):
        raise ValidationError(_("Deze test is verlopen. Begin opnieuw."))
    test = selftests.get_test(session.kind)
    merged = {
        **selftests.clean_answers(test, session.answers),
        **selftests.clean_answers(test, answers),
    }
    session.answers = merged
    session.expires_at = _expiry()
    if session.completed_at is None and selftests.is_complete(test, merged):
        session.completed_at = timezone.now()
    session.save(update_fields=["answers", "expires_at", "completed_at", "updated_at"])
    return session


def selftest_resume_token(session: SelfTestSession) -> str:
    """The signed part of the resume link (contains the resume code)."""
    return signing.dumps(session.resume_code, salt=RESUME_SALT, compress=True)


def selftest_find_by_token(token: str) -> SelfTestSession | None:
    try:
        code = signing.loads(
            token, salt=RESUME_SALT, max_age=datetime.timedelta(days=SELFTEST_RETENTION_DAYS)
        )
    except signing.BadSignature:
        return None
    return selftest_find_by_code(str(code))


def selftest_find_by_code(raw: str) -> SelfTestSession | None:
    """An unexpired test that is in nobody's account (a test in an account opens only there)."""
    code = normalise_code(raw)
    if not code:
        return None
    return SelfTestSession.objects.filter(
        resume_code=code, expires_at__gt=timezone.now(), account__isnull=True
    ).first()


def selftest_result(session: SelfTestSession) -> dict[str, Any]:
    """The result as stored in a share: the scores per theme and, for interests, the ISCO
    groups. No answers per item, nothing about the person."""
    test = selftests.get_test(session.kind)
    answers = selftests.clean_answers(test, session.answers)
    scores = selftests.score(test, answers)
    result: dict[str, Any] = {"scores": [s.as_dict() for s in scores]}
    if session.kind == SelfTestKind.INTERESTS:
        result["isco_groups"] = selftests.isco_groups_for(scores)
    return result


@transaction.atomic
def selftest_share_create(*, session: SelfTestSession) -> SelfTestShare:
    """The citizen's explicit "share with my adviser": a short code for the result only."""
    test = selftests.get_test(session.kind)
    if selftest_is_expired(session) or not selftests.is_complete(
        test, selftests.clean_answers(test, session.answers)
    ):
        raise ValidationError(_("Maak eerst de hele test af. Daarna kunt u de uitslag delen."))
    result = selftest_result(session)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return SelfTestShare.objects.create(
                    code=new_code(SHARE_CODE_GROUPS),
                    kind=session.kind,
                    result=result,
                    expires_at=_expiry(),
                )
        except IntegrityError:  # pragma: no cover - a code collision
            continue
    raise RuntimeError("could not create a unique share code")


@transaction.atomic
def selftest_share_attach(*, actor: Any, code: str, trajectory: Trajectory) -> SelfTestShare:
    """An adviser attaches a shared result to a trajectory of their desk, with the code the
    citizen gave them. ``trajectory`` must already be fetched through the scoping layer."""
    require_permission(actor, Action.ADD, SelfTestShare, desk_id=trajectory.desk_id)
    share = (
        SelfTestShare.objects.select_for_update()
        .filter(code=normalise_code(code), expires_at__gt=timezone.now())
        .first()
    )
    if share is None:
        audit_record(
            actor=actor,
            action="selftest_share.attach",
            object_type="portal.selftestshare",
            desk_id=trajectory.desk_id,
            result="not_found",
        )
        raise ValidationError(
            {"code": _("Deze code kennen wij niet of hij is verlopen. Controleer de code.")}
        )
    if share.trajectory_id is not None:
        raise ValidationError({"code": _("Deze uitslag is al aan een traject gekoppeld.")})
    share.trajectory = trajectory
    share.desk_id = trajectory.desk_id
    share.attached_by = actor
    share.attached_at = timezone.now()
    share.save(update_fields=["trajectory", "desk", "attached_by", "attached_at", "updated_at"])
    audit_record(
        actor=actor,
        action="selftest_share.attach",
        obj=share,
        desk_id=trajectory.desk_id,
        detail={"trajectory": str(trajectory.uuid), "kind": share.kind},
    )
    return share


@transaction.atomic
def selftest_purge_expired(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Remove expired saved tests and expired shares nobody attached. Attached results are
    part of a client's file and follow that file's retention; tests in a Mijn Leerwerkloket
    account go with the account."""
    moment = now or timezone.now()
    sessions, _detail = SelfTestSession.objects.filter(
        expires_at__lte=moment, account__isnull=True
    ).delete()
    shares, _detail = SelfTestShare.objects.filter(
        expires_at__lte=moment, trajectory__isnull=True
    ).delete()
    return sessions, shares


# -- visit counts --------------------------------------------------------------------------------


_VISITS = PageVisitCount._meta.db_table
_DESKS = Desk._meta.db_table
_SET_ASYNC = "SET LOCAL synchronous_commit TO OFF; "
_NATIONAL_INCREMENT = (
    f"{_SET_ASYNC}UPDATE {_VISITS} SET count = count + 1 "  # noqa: S608 (table names only)
    "WHERE desk_id IS NULL AND page = %s AND day = %s"
)
_REGIONAL_INCREMENT = (
    f"{_SET_ASYNC}UPDATE {_VISITS} v SET count = v.count + 1 FROM {_DESKS} d "  # noqa: S608
    "WHERE v.desk_id = d.id AND d.slug = %s AND d.is_published AND v.page = %s AND v.day = %s"
)


def _counter(desk_slug: str | None, page: str, day: datetime.date) -> QuerySet[PageVisitCount]:
    if desk_slug:
        return PageVisitCount.objects.filter(
            desk__slug=desk_slug, desk__is_published=True, page=page, day=day
        )
    return PageVisitCount.objects.filter(desk__isnull=True, page=page, day=day)


def _increment(desk_slug: str | None, page: str, day: datetime.date) -> int:
    """``UPDATE … SET count = count + 1`` of the counter of ``desk_slug``'s page (or the
    national one); the number of rows changed (0: no counter yet). On PostgreSQL, outside a
    transaction, the commit does not wait for the WAL to reach the disk
    (``synchronous_commit`` off for this transaction only): every public page view writes a
    counter, and an fsync per view cost 1–10 ms under load (docs/benchmarks.md, "Portal under
    load"). A crash of the database server can lose the last fraction of a second of counts,
    never corrupt them.

    There it is one round trip: ``SET LOCAL`` and the ``UPDATE`` in one query string, which
    PostgreSQL runs as one transaction of its own. Through the ORM (``BEGIN``, ``SET``,
    ``UPDATE`` and ``COMMIT`` apart) a count cost ~2.8 ms a page view, as one string built by
    the ORM ~1.6 ms, written out ~0.4 ms (tested to count what ``_counter`` selects). Not with
    server-side binding (a prepared statement holds one command): then in a transaction as
    before."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return int(_counter(desk_slug, page, day).update(count=F("count") + 1))
    if connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            return int(_counter(desk_slug, page, day).update(count=F("count") + 1))
    with connection.cursor() as cursor:
        if desk_slug:
            cursor.execute(_REGIONAL_INCREMENT, [desk_slug, page, day])
        else:
            cursor.execute(_NATIONAL_INCREMENT, [page, day])
        cursor.nextset()  # the UPDATE's result
        return int(cursor.rowcount)


def page_visit_count(*, desk_slug: str | None, page: str, day: datetime.date) -> None:
    """Add one view of ``page`` (of the published desk ``desk_slug``, or national) on ``day``.

    An atomic ``UPDATE … SET count = count + 1``; only the first view of the day looks the desk
    up and inserts the row (a racing first insert falls back to the UPDATE). Never a row per
    visit. An unknown or unpublished desk is not counted.
    """
    if _increment(desk_slug, page, day):
        return
    desk_id = None
    if desk_slug:
        desk_id = (
            Desk.objects.published().filter(slug=desk_slug).values_list("pk", flat=True).first()
        )
        if desk_id is None:
            return
    try:
        with transaction.atomic():
            PageVisitCount.objects.create(desk_id=desk_id, page=page, day=day, count=1)
    except IntegrityError:
        _increment(desk_slug, page, day)
