"""Writes of Mijn Leerwerkloket: keyword-only, one transaction each, audited.

Public writes (sign-up, sign-in links, password reset) behave the same whether or not an account
exists for the address: they never tell anyone that an address is registered (no account
enumeration). They do the same work in both cases (a password hash is always computed) and send
e-mail only to the address itself.

Citizen writes take the ``account`` from the citizen's session (``leerwerk.mijn.auth``). Staff
writes (invitations, revoking a link, handling an erasure request) take the staff ``actor`` and
check its permission with the policies.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid
from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerwerk.agenda.models import Appointment
from leerwerk.catalogue.models import Offer
from leerwerk.clients import privacy as client_privacy
from leerwerk.clients import services as client_services
from leerwerk.clients.models import Client
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.passwords import validate_password_nl
from leerwerk.core.policies import require_permission
from leerwerk.core.services import unchanged_on_error
from leerwerk.mijn import emails, selectors, tokens
from leerwerk.mijn.constants import (
    DELETE_LINK_MAX_AGE,
    INVITE_VALID_DAYS,
    LOGIN_LINK_MAX_AGE,
    RESET_MAX_AGE,
    UNCONFIRMED_KEEP_DAYS,
    VERIFY_MAX_AGE,
    ErasureOutcome,
)
from leerwerk.mijn.models import CitizenAccount, ClientLink, ErasureRequest, SavedOffer
from leerwerk.network.services import normalise_postcode
from leerwerk.portal import selftests
from leerwerk.portal import services as portal_services
from leerwerk.portal.models import SelfTestSession

WRONG_PASSWORD = gettext_lazy("Dit wachtwoord klopt niet. Let op hoofdletters.")


class AccountNotVerified(Exception):
    """The password was right, but the e-mail address was never confirmed."""


def normalise_email(raw: str) -> str:
    return (raw or "").strip().lower()


def _find_account(email: str, *, lock: bool = False) -> CitizenAccount | None:
    accounts = CitizenAccount.objects.all()
    if lock:
        accounts = accounts.select_for_update()
    return accounts.filter(email=normalise_email(email)).first()


def _account_by_uuid(value: Any, *, lock: bool = False) -> CitizenAccount | None:
    try:
        account_uuid = uuid.UUID(str(value))
    except ValueError:
        return None
    accounts = CitizenAccount.objects.all()
    if lock:
        accounts = accounts.select_for_update()
    return accounts.filter(uuid=account_uuid).first()


def _stamp(moment: datetime.datetime | None) -> int:
    """``last_login_at`` as microseconds, for single-use links."""
    return int(moment.timestamp() * 1_000_000) if moment is not None else 0


def _password_digest(account: CitizenAccount) -> str:
    return tokens.digest(account.password)


def _single_use_token(kind: str, account: CitizenAccount, **extra: Any) -> str:
    """A link token for ``account`` that is used up by its next log-in: it holds the moment of
    the last one (and ``extra`` values that must still hold when it is used)."""
    return tokens.make(kind, {"a": str(account.uuid), "l": _stamp(account.last_login_at), **extra})


def _account_for_single_use(
    kind: str,
    token: str,
    *,
    max_age: datetime.timedelta,
    lock: bool,
    **expected: Callable[[CitizenAccount], Any],
) -> CitizenAccount:
    """The account of a ``_single_use_token``; ``LinkInvalid`` when it is unknown, used (every
    log-in changes ``last_login_at``) or an ``expected`` value changed."""
    payload = tokens.read(kind, token, max_age=max_age)
    account = _account_by_uuid(payload.get("a"), lock=lock)
    if (
        account is None
        or payload.get("l") != _stamp(account.last_login_at)
        or any(payload.get(key) != value(account) for key, value in expected.items())
    ):
        raise tokens.LinkInvalid
    return account


#: Django's password validators, in plain Dutch (their own Dutch catalogue lags behind).
def _validate_password(password: str, account: CitizenAccount, field: str = "password") -> None:
    """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS) with Dutch messages."""
    try:
        # The validators read attributes (e-mail) of any object, not only a staff User.
        validate_password_nl(password, user=cast(Any, account))
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def _audit(account: CitizenAccount | None, action: str, *, obj: Any = None, **kwargs: Any) -> None:
    detail = dict(account.audit_detail) if account is not None else {}
    detail.update(kwargs.pop("detail", {}))
    audit_record(actor=None, action=action, obj=obj or account, detail=detail, **kwargs)


# -- sign-up and confirming the address ----------------------------------------------------------


def verify_link(account: CitizenAccount, base_url: str) -> str:
    token = tokens.make(tokens.VERIFY, {"a": str(account.uuid), "e": tokens.digest(account.email)})
    return emails.absolute(base_url, "mijn:verify", token)


@transaction.atomic
def account_signup(*, email: str, password: str, display_name: str, base_url: str = "") -> None:
    """Make an account and mail a confirmation link, or, when the address already has an
    account, mail its owner "you already have an account". The caller shows the same page in
    every case. An unconfirmed account gets the new password and a new link (the mailbox
    owner can only confirm it with the password of their own, latest sign-up)."""
    email = normalise_email(email)
    candidate = CitizenAccount(email=email, display_name=(display_name or "").strip())
    _validate_password(password, candidate)
    candidate.full_clean(exclude=["password"], validate_constraints=False)
    hashed = make_password(password)  # always: the same work whether or not the address is known
    existing = _find_account(email, lock=True)
    if existing is None:
        candidate.password = hashed
        try:
            with transaction.atomic():
                candidate.save()
        except IntegrityError:  # signed up at the same moment elsewhere
            existing = _find_account(email, lock=True)
        else:
            emails.send_after_commit(
                emails.verify_address(
                    to=email, name=candidate.display_name, link=verify_link(candidate, base_url)
                )
            )
            _audit(candidate, "mijn.account.signup")
            return
    if existing is None:  # pragma: no cover - the racing row vanished again
        return
    if existing.is_verified:
        emails.send_after_commit(emails.already_registered(to=email, base_url=base_url))
        _audit(existing, "mijn.account.signup", result="exists")
        return
    existing.password = hashed
    existing.display_name = candidate.display_name
    existing.save(update_fields=["password", "display_name"])
    emails.send_after_commit(
        emails.verify_address(
            to=email, name=existing.display_name, link=verify_link(existing, base_url)
        )
    )
    _audit(existing, "mijn.account.signup", result="not_verified")


def account_for_verify_token(token: str, *, lock: bool = False) -> CitizenAccount:
    payload = tokens.read(tokens.VERIFY, token, max_age=VERIFY_MAX_AGE)
    account = _account_by_uuid(payload.get("a"), lock=lock)
    if account is None or payload.get("e") != tokens.digest(account.email):
        raise tokens.LinkInvalid
    return account


@transaction.atomic
def account_verify(*, token: str, password: str) -> CitizenAccount:
    """Confirm the address with the link from the e-mail *and* the account's password (so an
    account somebody else started with your address never becomes theirs). Logs in."""
    account = account_for_verify_token(token, lock=True)
    if not check_password(password, account.password):
        raise ValidationError({"password": WRONG_PASSWORD})
    now = timezone.now()
    if account.email_verified_at is None:
        account.email_verified_at = now
        _audit(account, "mijn.account.verify")
    account.last_login_at = now
    account.save(update_fields=["email_verified_at", "last_login_at"])
    return account


# -- signing in ----------------------------------------------------------------------------------


def login_with_password(*, email: str, password: str, base_url: str = "") -> CitizenAccount | None:
    """The account when e-mail and password belong together, else None (the same answer for an
    unknown address). A right password on an unconfirmed account sends a new confirmation
    link and raises AccountNotVerified."""
    account = _find_account(email)
    if account is None:
        make_password(password)  # the same work as checking a real password
        return None

    def upgrade(raw: str) -> None:
        account.password = make_password(raw)
        account.save(update_fields=["password"])

    if not check_password(password, account.password, setter=upgrade):
        return None
    if not account.is_verified:
        emails.verify_address(
            to=account.email, name=account.display_name, link=verify_link(account, base_url)
        ).send(fail_silently=False)
        raise AccountNotVerified
    account.last_login_at = timezone.now()
    account.save(update_fields=["last_login_at"])
    _audit(account, "mijn.account.login", detail={"method": "password"})
    return account


def login_link_request(*, email: str, base_url: str = "") -> None:
    """Mail a sign-in link when the address has an account, else "there is no account"."""
    account = _find_account(email)
    if account is None:
        emails.no_account(to=normalise_email(email), base_url=base_url).send(fail_silently=False)
        return
    token = _single_use_token(tokens.LOGIN, account)
    emails.login_link(
        to=account.email,
        name=account.display_name,
        link=emails.absolute(base_url, "mijn:login_link_use", token),
    ).send(fail_silently=False)


def account_for_login_token(token: str, *, lock: bool = False) -> CitizenAccount:
    return _account_for_single_use(tokens.LOGIN, token, max_age=LOGIN_LINK_MAX_AGE, lock=lock)


@transaction.atomic
def login_link_use(*, token: str) -> CitizenAccount:
    """Log in with a sign-in link (once). The link proves the mailbox, so it also confirms the
    address; a password set before that confirmation is dropped (the owner chooses their own)."""
    account = account_for_login_token(token, lock=True)
    now = timezone.now()
    fields = ["last_login_at"]
    if account.email_verified_at is None:
        account.email_verified_at = now
        account.password = make_password(None)
        fields += ["email_verified_at", "password"]
    account.last_login_at = now
    account.save(update_fields=fields)
    _audit(account, "mijn.account.login", detail={"method": "link"})
    return account


# -- a new password ------------------------------------------------------------------------------


def password_reset_request(*, email: str, base_url: str = "") -> None:
    """Mail a link to choose a new password, or "there is no account" (see above)."""
    account = _find_account(email)
    if account is None:
        emails.no_account(to=normalise_email(email), base_url=base_url).send(fail_silently=False)
        return
    token = _single_use_token(tokens.RESET, account, p=_password_digest(account))
    emails.password_reset(
        to=account.email,
        name=account.display_name,
        link=emails.absolute(base_url, "mijn:password_reset_confirm", token),
    ).send(fail_silently=False)


def account_for_reset_token(token: str, *, lock: bool = False) -> CitizenAccount:
    # also used up by a new password
    return _account_for_single_use(
        tokens.RESET, token, max_age=RESET_MAX_AGE, lock=lock, p=_password_digest
    )


@transaction.atomic
def password_reset_confirm(*, token: str, password: str) -> CitizenAccount:
    """Set the new password (once per link); confirms the address and logs in."""
    account = account_for_reset_token(token, lock=True)
    _validate_password(password, account)
    now = timezone.now()
    account.password = make_password(password)
    account.email_verified_at = account.email_verified_at or now
    account.last_login_at = now
    account.save(update_fields=["password", "email_verified_at", "last_login_at"])
    _audit(account, "mijn.account.password_reset")
    return account


# -- profile -------------------------------------------------------------------------------------


@transaction.atomic
def profile_update(
    *, account: CitizenAccount, display_name: str, phone: str, postcode: str
) -> CitizenAccount:
    from leerwerk.clients.selectors import canonical_phone

    with unchanged_on_error(account):
        account.display_name = (display_name or "").strip()
        account.phone = (phone or "").strip()
        account.postcode = normalise_postcode(postcode) if postcode else ""
        account.full_clean(exclude=["password", "email"], validate_constraints=False)
        account.phone = canonical_phone(account.phone) if account.phone else ""
        account.save(update_fields=["display_name", "phone", "postcode"])
    _audit(account, "mijn.account.profile_update")
    return account


def email_change_request(
    *, account: CitizenAccount, new_email: str, password: str, base_url: str = ""
) -> None:
    """Mail a confirmation link to the new address. When the new address already has an
    account, its owner gets "you already have an account" instead; the page is the same."""
    if not check_password(password, account.password):
        raise ValidationError({"password": WRONG_PASSWORD})
    new = normalise_email(new_email)
    if new == account.email:
        raise ValidationError({"email": _("Dit is al uw e-mailadres. Vul een ander adres in.")})
    if _find_account(new) is not None:
        emails.already_registered(to=new, base_url=base_url).send(fail_silently=False)
        return
    token = tokens.make(
        tokens.EMAIL_CHANGE,
        {"a": str(account.uuid), "o": tokens.digest(account.email), "n": tokens.digest(new)},
    )
    CitizenAccount.objects.filter(pk=account.pk).update(pending_email=new)
    account.pending_email = new
    emails.email_change(
        to=new,
        name=account.display_name,
        link=emails.absolute(base_url, "mijn:email_change_confirm", token),
    ).send(fail_silently=False)


@transaction.atomic
def email_change_confirm(
    *, account: CitizenAccount, token: str, base_url: str = ""
) -> CitizenAccount:
    """The new address is confirmed by the link, opened while logged in to this account."""
    payload = tokens.read(tokens.EMAIL_CHANGE, token, max_age=VERIFY_MAX_AGE)
    locked = _account_by_uuid(payload.get("a"), lock=True)
    if (
        locked is None
        or locked.pk != account.pk
        or not locked.pending_email
        or payload.get("o") != tokens.digest(locked.email)
        or payload.get("n") != tokens.digest(locked.pending_email)
    ):
        raise tokens.LinkInvalid
    new = locked.pending_email
    if CitizenAccount.objects.filter(email=new).exclude(pk=locked.pk).exists():
        raise ValidationError(
            _("Dit e-mailadres kunt u niet gebruiken voor uw account. Kies een ander adres.")
        )
    old = locked.email
    locked.email = new
    locked.pending_email = ""
    locked.save(update_fields=["email", "pending_email"])
    emails.send_after_commit(
        emails.email_changed(to=old, name=locked.display_name, base_url=base_url)
    )
    _audit(locked, "mijn.account.email_change")
    account.email, account.pending_email = locked.email, ""
    return locked


@transaction.atomic
def password_change(*, account: CitizenAccount, current: str, new: str) -> CitizenAccount:
    """Change the password; without a usable password (only ever signed in with links) no
    current password is asked."""
    if account.has_usable_password and not check_password(current, account.password):
        raise ValidationError({"current_password": WRONG_PASSWORD})
    _validate_password(new, account)
    account.password = make_password(new)
    account.save(update_fields=["password"])
    _audit(account, "mijn.account.password_change")
    return account


# -- self-tests and saved offers -----------------------------------------------------------------


@transaction.atomic
def selftest_claim(*, account: CitizenAccount, code: str) -> SelfTestSession | None:
    """Put an anonymous, unexpired test (found by its resume code) in the account."""
    session = portal_services.selftest_find_by_code(code)
    if session is None:
        return None
    SelfTestSession.objects.filter(pk=session.pk, account__isnull=True).update(
        account=account, updated_at=timezone.now()
    )
    session.refresh_from_db()
    if session.account_id != account.pk:  # claimed by someone else at the same moment
        return None
    return session


@transaction.atomic
def selftest_remove(*, account: CitizenAccount, session_uuid: uuid.UUID) -> bool:
    deleted, _detail = SelfTestSession.objects.filter(account=account, uuid=session_uuid).delete()
    return bool(deleted)


@transaction.atomic
def saved_offer_add(*, account: CitizenAccount, offer: Offer) -> SavedOffer:
    if not offer.is_active:
        raise ValidationError(_("Deze opleiding wordt niet meer aangeboden."))
    try:
        with transaction.atomic():
            saved, _created = SavedOffer.objects.get_or_create(account=account, offer=offer)
    except IntegrityError:  # saved twice at the same moment
        saved = SavedOffer.objects.get(account=account, offer=offer)
    return saved


@transaction.atomic
def saved_offer_remove(*, account: CitizenAccount, offer: Offer) -> bool:
    deleted, _detail = SavedOffer.objects.filter(account=account, offer=offer).delete()
    return bool(deleted)


# -- linking a desk's client file ----------------------------------------------------------------


def invitation_token_hash(raw: str) -> str:
    return hashlib.sha256(f"leerwerk.mijn.invite:{raw}".encode()).hexdigest()


@transaction.atomic
def link_invite(*, actor: Any, client: Client, base_url: str = "") -> ClientLink:
    """An adviser invites the client to link their file to a Mijn Leerwerkloket account. The
    e-mail goes to the client's address; an earlier open invitation stops working."""
    require_permission(actor, Action.ADD, ClientLink, desk_id=client.desk_id)
    client = Client.objects.select_for_update().select_related("desk").get(pk=client.pk)
    if client.is_erased or client.merged_into_id:
        raise ValidationError(_("Deze klant is geanonimiseerd of samengevoegd."))
    if not client.email:
        raise ValidationError(
            _("Deze klant heeft geen e-mailadres. Vul eerst een e-mailadres in bij de gegevens.")
        )
    if ClientLink.objects.active().filter(client=client).exists():
        raise ValidationError(
            _(
                "Dit dossier is al gekoppeld aan een account. Trek die koppeling eerst in als de "
                "klant een ander account wil gebruiken."
            )
        )
    now = timezone.now()
    ClientLink.objects.open_invitations().filter(client=client).update(revoked_at=now)
    raw = secrets.token_urlsafe(32)
    link = ClientLink.objects.create(
        desk_id=client.desk_id,
        client=client,
        invited_by=actor,
        invited_at=now,
        token_hash=invitation_token_hash(raw),
    )
    emails.send_after_commit(
        emails.invitation(
            to=client.email,
            desk_name=client.desk.display_name,
            link=emails.absolute(base_url, "mijn:invitation", raw),
            valid_days=INVITE_VALID_DAYS,
        )
    )
    audit_record(actor=actor, action="mijn.link.invite", obj=link, desk_id=client.desk_id)
    return link


def link_for_invitation(token_hash: str, *, lock: bool = False) -> ClientLink:
    """The open, unexpired invitation with this token hash; LinkInvalid / LinkExpired."""
    links = ClientLink.objects.select_related("desk", "client")
    if lock:
        links = links.select_for_update(of=("self",))
    link = links.filter(token_hash=token_hash).first()
    if (
        link is None
        or link.revoked_at is not None
        or link.accepted_at is not None
        or link.client.is_erased
    ):
        raise tokens.LinkInvalid
    if selectors.invitation_is_expired(link):
        raise tokens.LinkExpired
    return link


@transaction.atomic
def link_accept(*, account: CitizenAccount, token_hash: str) -> ClientLink:
    """The citizen confirms: the desk's file is linked to their account."""
    link = link_for_invitation(token_hash, lock=True)
    if ClientLink.objects.active().filter(client_id=link.client_id).exists():
        raise ValidationError(_("Dit dossier is al gekoppeld aan een account."))
    link.account = account
    link.accepted_at = timezone.now()
    try:
        with transaction.atomic():
            link.save(update_fields=["account", "accepted_at"])
    except IntegrityError:
        raise ValidationError(_("Dit dossier is al gekoppeld aan een account.")) from None
    _audit(account, "mijn.link.accept", obj=link, desk_id=link.desk_id)
    return link


@transaction.atomic
def link_revoke(*, actor: Any, link: ClientLink) -> ClientLink:
    """Stop an invitation or a link (staff). The citizen no longer sees the file."""
    require_permission(actor, Action.CHANGE, ClientLink, obj=link)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="mijn.link.revoke", obj=link, desk_id=link.desk_id)
    return link


# -- consent -------------------------------------------------------------------------------------


def _own_active_link(account: CitizenAccount, link_uuid: uuid.UUID) -> ClientLink:
    link = (
        ClientLink.objects.active()
        .select_related("client", "desk")
        .filter(
            account=account,
            uuid=link_uuid,
            client__erased_at__isnull=True,
            client__merged_into__isnull=True,
        )
        .first()
    )
    if link is None:
        raise PermissionDenied
    return link


def consent_change(
    *,
    account: CitizenAccount,
    link_uuid: uuid.UUID,
    purpose: str,
    give: bool,
    follow_up_after_months: int | None = None,
) -> Any:
    """Give or withdraw consent on a linked file, through the clients services with the
    citizen as the actor (audited there as ``by: client``). A withdrawal counts at once."""
    link = _own_active_link(account, link_uuid)
    if give:
        return client_services.consent_give(
            actor=account,
            client=link.client,
            purpose=purpose,
            follow_up_after_months=follow_up_after_months,
            source=_("Mijn Leerwerkloket"),
        )
    return client_services.consent_withdraw(actor=account, client=link.client, purpose=purpose)


# -- download all my data ------------------------------------------------------------------------


def _local(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment is not None else None


def account_export(*, account: CitizenAccount) -> dict[str, Any]:
    """Everything Mijn Leerwerkloket holds about the account, plus the export of every linked
    client file (``clients.privacy.client_export``, with the citizen as the actor)."""
    tests = []
    for session in selectors.my_selftests(account):
        test = selftests.get_test(session.kind)
        tests.append(
            {
                "uuid": str(session.uuid),
                "kind": session.kind,
                "kind_label": str(test.title),
                "started_at": _local(session.created_at),
                "completed_at": _local(session.completed_at),
                "answers": selftests.clean_answers(test, session.answers),
                "result": portal_services.selftest_result(session)
                if session.completed_at
                else None,
            }
        )
    appointments = Appointment.objects.filter(account=account).select_related("desk", "slot")
    links = ClientLink.objects.filter(account=account).select_related("desk")
    files = [
        {
            "desk": link.desk.display_name,
            "file": client_privacy.client_export(actor=account, client=link.client),
        }
        for link in selectors.active_links(account)
    ]
    data = {
        "title": "Mijn Leerwerkloket: uw gegevens",
        "created_at": _local(timezone.now()),
        "account": {
            "uuid": str(account.uuid),
            "email": account.email,
            "display_name": account.display_name,
            "phone": account.phone,
            "postcode": account.postcode,
            "email_verified_at": _local(account.email_verified_at),
            "created_at": _local(account.created_at),
            "last_login_at": _local(account.last_login_at),
        },
        "self_tests": tests,
        "saved_offers": [
            {
                "offer": str(saved.offer.uuid),
                "title": saved.offer.title,
                "provider": saved.offer.provider.name,
                "saved_at": _local(saved.saved_at),
            }
            for saved in selectors.my_saved_offers(account)
        ],
        "appointments": [
            {
                "uuid": str(appointment.uuid),
                "desk": appointment.desk.display_name,
                "starts_at": _local(appointment.slot.starts_at),
                "status": appointment.status,
                "given_name": appointment.given_name,
                "family_name": appointment.family_name,
                "email": appointment.email,
                "phone": appointment.phone,
                "question": appointment.question,
            }
            for appointment in appointments.order_by("slot__starts_at")
        ],
        "links": [
            {
                "uuid": str(link.uuid),
                "desk": link.desk.display_name,
                "invited_at": _local(link.invited_at),
                "accepted_at": _local(link.accepted_at),
                "revoked_at": _local(link.revoked_at),
            }
            for link in links.order_by("invited_at")
        ],
        "client_files": files,
    }
    _audit(account, "mijn.account.export", detail={"files": len(files)})
    return data


# -- deleting the account ------------------------------------------------------------------------


def delete_link_request(*, account: CitizenAccount, base_url: str = "") -> None:
    """Mail a link that confirms deleting the account (for those without their password)."""
    token = _single_use_token(tokens.DELETE, account)
    emails.delete_link(
        to=account.email,
        name=account.display_name,
        link=emails.absolute(base_url, "mijn:delete_confirm_link", token),
    ).send(fail_silently=False)


def account_for_delete_token(token: str, *, lock: bool = False) -> CitizenAccount:
    return _account_for_single_use(tokens.DELETE, token, max_age=DELETE_LINK_MAX_AGE, lock=lock)


def check_delete_password(account: CitizenAccount, password: str) -> None:
    if not check_password(password, account.password):
        raise ValidationError({"password": WRONG_PASSWORD})


@transaction.atomic
def account_delete(*, account: CitizenAccount, ask_erasure: bool) -> list[ErasureRequest]:
    """Delete the account with its self-tests and saved offers; appointments and client files
    are unlinked (the desk's file is the desk's). With ``ask_erasure`` every linked desk gets a
    request to erase the file too, handled by its desk manager."""
    locked = CitizenAccount.objects.select_for_update().filter(pk=account.pk).first()
    if locked is None:  # deleted a moment ago (a second click)
        return []
    now = timezone.now()
    requests: list[ErasureRequest] = []
    if ask_erasure:
        for link in selectors.active_links(locked):
            request = ErasureRequest.objects.filter(
                client_id=link.client_id, handled_at__isnull=True
            ).first()
            if request is None:
                request = ErasureRequest.objects.create(
                    desk_id=link.desk_id, client_id=link.client_id, requested_at=now
                )
                _audit(locked, "mijn.erasure_request.create", obj=request, desk_id=link.desk_id)
            requests.append(request)
    ClientLink.objects.filter(account=locked, revoked_at__isnull=True).update(revoked_at=now)
    ClientLink.objects.filter(account=locked).update(account=None)
    Appointment.objects.filter(account=locked).update(account=None)
    tests, _detail = SelfTestSession.objects.filter(account=locked).delete()
    offers, _detail = SavedOffer.objects.filter(account=locked).delete()
    _audit(
        locked,
        "mijn.account.delete",
        detail={"self_tests": tests, "saved_offers": offers, "erasure_requests": len(requests)},
    )
    emails.send_after_commit(
        emails.account_deleted(
            to=locked.email, name=locked.display_name, erasure_requested=bool(requests)
        )
    )
    locked.delete()
    return requests


@transaction.atomic
def account_purge_unconfirmed(*, now: datetime.datetime | None = None) -> int:
    """Remove accounts whose address was never confirmed within ``UNCONFIRMED_KEEP_DAYS`` of
    signing up (run daily: ``leerwerk mijn_purge_unconfirmed``). They never held anything but
    the sign-up itself."""
    moment = (now or timezone.now()) - datetime.timedelta(days=UNCONFIRMED_KEEP_DAYS)
    stale = CitizenAccount.objects.filter(email_verified_at__isnull=True, created_at__lt=moment)
    SelfTestSession.objects.filter(account__in=stale).delete()
    _total, per_model = stale.delete()
    return per_model.get(CitizenAccount._meta.label, 0)


# -- erasure requests (desk managers) ------------------------------------------------------------


@transaction.atomic
def erasure_request_handle(
    *, actor: Any, request: ErasureRequest, erase: bool, note: str = ""
) -> ErasureRequest:
    """Erase the client file (``clients.services.client_erase``) or keep it with a reason."""
    require_permission(actor, Action.CHANGE, ErasureRequest, obj=request)
    locked = (
        ErasureRequest.objects.select_for_update(of=("self",))
        .select_related("client")
        .get(pk=request.pk)
    )
    if locked.handled_at is not None:
        raise ValidationError(_("Dit verzoek is al afgehandeld."))
    note = (note or "").strip()
    if erase:
        client_services.client_erase(actor=actor, client=locked.client)
        outcome = ErasureOutcome.ERASED
    else:
        if not note:
            raise ValidationError(
                {"note": _("Schrijf waarom het dossier blijft bestaan. De klant mag dat weten.")}
            )
        outcome = ErasureOutcome.KEPT
    ErasureRequest.objects.filter(pk=locked.pk).update(
        handled_at=timezone.now(), handled_by=actor, outcome=outcome, note=note[:500]
    )
    locked.refresh_from_db()
    audit_record(
        actor=actor,
        action="mijn.erasure_request.handle",
        obj=locked,
        desk_id=locked.desk_id,
        detail={"outcome": outcome},
    )
    return locked


def mijn_erase_for_client(*, client: Client) -> None:
    """Called by ``clients.services.client_erase`` in its transaction: the account links of the
    file go (they would name the person), appointments are no longer tied to an account, and
    open erasure requests are done."""
    ClientLink.objects.filter(client=client).delete()
    Appointment.objects.filter(client=client).update(account=None)
    ErasureRequest.objects.filter(client=client, handled_at__isnull=True).update(
        handled_at=timezone.now(), outcome=ErasureOutcome.ERASED
    )
