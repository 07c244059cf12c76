"""E-mails to citizens: confirm the address, a sign-in link, a new password, "you already have
an account", the adviser's invitation, a changed address and a deleted account. Built here, sent
by the services after their transaction commits. Plain text, B1 Dutch, no personal data beyond
what the mail is about; links are built with ``reverse`` on the site's own address."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from leerwerk.core.mail import send_after_commit, site_url

__all__ = ["send_after_commit", "site_url"]


def absolute(base_url: str, name: str, *args: Any) -> str:
    return site_url(base_url) + reverse(name, args=args)


def _message(subject: str, template: str, to: str, context: dict[str, Any]) -> EmailMessage:
    context = {"brand_name": getattr(settings, "LEERWERK_BRAND_NAME", "Leerwerkloket"), **context}
    return EmailMessage(
        subject=subject, body=render_to_string(f"mijn/email/{template}.txt", context), to=[to]
    )


def verify_address(*, to: str, name: str, link: str) -> EmailMessage:
    return _message(
        _("Bevestig uw e-mailadres voor Mijn Leerwerkloket"),
        "verify",
        to,
        {"name": name, "link": link},
    )


def already_registered(*, to: str, base_url: str) -> EmailMessage:
    return _message(
        _("U heeft al een account bij Mijn Leerwerkloket"),
        "already_registered",
        to,
        {
            "login_url": absolute(base_url, "mijn:login"),
            "link_url": absolute(base_url, "mijn:login_link"),
            "reset_url": absolute(base_url, "mijn:password_reset"),
        },
    )


def no_account(*, to: str, base_url: str) -> EmailMessage:
    """Someone asked for a sign-in link or a new password for an address without an account.
    Sending this (instead of nothing) keeps the answer and the time the same for every address."""
    return _message(
        _("Er is geen account bij Mijn Leerwerkloket met dit e-mailadres"),
        "no_account",
        to,
        {"signup_url": absolute(base_url, "mijn:signup")},
    )


def login_link(*, to: str, name: str, link: str) -> EmailMessage:
    return _message(
        _("Uw inloglink voor Mijn Leerwerkloket"), "login_link", to, {"name": name, "link": link}
    )


def password_reset(*, to: str, name: str, link: str) -> EmailMessage:
    return _message(
        _("Kies een nieuw wachtwoord voor Mijn Leerwerkloket"),
        "password_reset",
        to,
        {"name": name, "link": link},
    )


def email_change(*, to: str, name: str, link: str) -> EmailMessage:
    return _message(
        _("Bevestig uw nieuwe e-mailadres voor Mijn Leerwerkloket"),
        "email_change",
        to,
        {"name": name, "link": link},
    )


def email_changed(*, to: str, name: str, base_url: str) -> EmailMessage:
    return _message(
        _("Uw e-mailadres voor Mijn Leerwerkloket is gewijzigd"),
        "email_changed",
        to,
        {"name": name, "reset_url": absolute(base_url, "mijn:password_reset")},
    )


def delete_link(*, to: str, name: str, link: str) -> EmailMessage:
    return _message(
        _("Bevestig dat u uw account wilt verwijderen"),
        "delete_link",
        to,
        {"name": name, "link": link},
    )


def account_deleted(*, to: str, name: str, erasure_requested: bool) -> EmailMessage:
    return _message(
        _("Uw account bij Mijn Leerwerkloket is verwijderd"),
        "account_deleted",
        to,
        {"name": name, "erasure_requested": erasure_requested},
    )


def invitation(*, to: str, desk_name: str, link: str, valid_days: int) -> EmailMessage:
    return _message(
        _("Uitnodiging voor Mijn Leerwerkloket van %(desk)s") % {"desk": desk_name},
        "invitation",
        to,
        {"desk_name": desk_name, "link": link, "valid_days": valid_days},
    )
