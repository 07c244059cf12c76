"""Mijn Leerwerkloket: the citizen's own account, the link between an account and a desk's
client file, the citizen's saved training offers and requests to erase a desk's file.

A citizen account is deliberately *not* the staff ``accounts.User``: it has its own table and its
own session key (``leerwerk.mijn.auth``), so a citizen can never pass a staff permission check
(see docs/decisions/0004-citizen-accounts.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerwerk.clients.models import phone_validator, postcode_validator
from leerwerk.core.models import PublicIdMixin
from leerwerk.core.querysets import ScopedQuerySet
from leerwerk.mijn.constants import ErasureOutcome


class CitizenAccount(PublicIdMixin, models.Model):
    """A citizen's log-in for Mijn Leerwerkloket. Personal data; no BSN, ever."""

    email = models.EmailField(_("e-mailadres"), max_length=254)
    password = models.CharField(_("wachtwoord (versleuteld)"), max_length=128)
    display_name = models.CharField(
        _("naam"), max_length=100, help_text=_("Hoe wij u in Mijn Leerwerkloket noemen.")
    )
    phone = models.CharField(
        _("telefoonnummer"), max_length=20, blank=True, validators=[phone_validator]
    )
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[postcode_validator]
    )
    email_verified_at = models.DateTimeField(_("e-mailadres bevestigd op"), null=True, blank=True)
    pending_email = models.EmailField(
        _("nieuw e-mailadres (nog niet bevestigd)"), max_length=254, blank=True
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    last_login_at = models.DateTimeField(_("laatst ingelogd op"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    #: Not a staff principal: ``core.access.access_for`` and the audit log treat a citizen
    #: account as anonymous, so no staff policy can ever grant it anything.
    is_authenticated = False

    class Meta:
        verbose_name = _("account van een burger")
        verbose_name_plural = _("accounts van burgers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="mijn_account_email_unique_ci",
                violation_error_message=_("Er is al een account met dit e-mailadres."),
            ),
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="mijn_account_email_lower"
            ),
        ]

    def __str__(self) -> str:
        return str(self.uuid)

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def has_usable_password(self) -> bool:
        from django.contrib.auth.hashers import is_password_usable

        return is_password_usable(self.password)

    # -- the account as the data subject (clients.services / clients.privacy) ----------------

    def represents_client(self, client: Any) -> bool:
        """True when this account is linked (accepted, not revoked) to ``client``'s file: then
        it may read that file's export and give or withdraw its consent."""
        return ClientLink.objects.active().filter(account=self, client_id=client.pk).exists()

    @property
    def audit_detail(self) -> dict[str, str]:
        """Added to the audit events that the clients services record for this actor."""
        return {"by": "client", "account": str(self.uuid)}


class ClientLinkQuerySet(ScopedQuerySet):
    def active(self) -> ClientLinkQuerySet:
        """Accepted and not revoked: the account sees this client file."""
        return self.filter(accepted_at__isnull=False, revoked_at__isnull=True)

    def open_invitations(self) -> ClientLinkQuerySet:
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class ClientLink(PublicIdMixin, models.Model):
    """An adviser's invitation to link a client file to a citizen account, and, once the
    citizen accepted it, the link itself. Only the hash of the invitation token is stored."""

    desk = models.ForeignKey(
        "network.Desk", on_delete=models.PROTECT, related_name="+", verbose_name=_("loket")
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("klant"),
    )
    account = models.ForeignKey(
        CitizenAccount,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="links",
        verbose_name=_("account"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    invited_at = models.DateTimeField(_("uitgenodigd op"), default=timezone.now)
    accepted_at = models.DateTimeField(_("gekoppeld op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    token_hash = models.CharField(_("controlegetal van de uitnodiging"), max_length=64, unique=True)

    objects = ClientLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("koppeling met Mijn Leerwerkloket")
        verbose_name_plural = _("koppelingen met Mijn Leerwerkloket")
        ordering = ["-invited_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(accepted_at__isnull=False, revoked_at__isnull=True),
                name="mijn_link_one_active_per_client",
                violation_error_message=_("Dit dossier is al gekoppeld aan een account."),
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="mijn_link_one_open_invitation_per_client",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True)
                | Q(account__isnull=False)
                | Q(revoked_at__isnull=False),
                name="mijn_link_accepted_has_account",
            ),
        ]

    def __str__(self) -> str:
        return str(self.uuid)

    @property
    def is_active(self) -> bool:
        return self.accepted_at is not None and self.revoked_at is None


class SavedOffer(models.Model):
    """A training offer the citizen saved for themselves (not the adviser's save on a
    trajectory, which is ``catalogue.SavedOffer``)."""

    account = models.ForeignKey(
        CitizenAccount,
        on_delete=models.CASCADE,
        related_name="saved_offers",
        verbose_name=_("account"),
    )
    offer = models.ForeignKey(
        "catalogue.Offer", on_delete=models.CASCADE, related_name="+", verbose_name=_("opleiding")
    )
    saved_at = models.DateTimeField(_("bewaard op"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bewaarde opleiding (burger)")
        verbose_name_plural = _("bewaarde opleidingen (burgers)")
        ordering = ["-saved_at"]
        constraints = [
            models.UniqueConstraint(fields=["account", "offer"], name="mijn_saved_offer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} ({self.saved_at:%d-%m-%Y})"


class ErasureRequest(PublicIdMixin, models.Model):
    """A citizen who deleted their account asked the desk to erase their file as well. A desk
    manager handles it: erase (``clients.services.client_erase``) or keep with a reason."""

    desk = models.ForeignKey(
        "network.Desk", on_delete=models.PROTECT, related_name="+", verbose_name=_("loket")
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="+", verbose_name=_("klant")
    )
    requested_at = models.DateTimeField(_("gevraagd op"), default=timezone.now)
    handled_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgehandeld door"),
    )
    outcome = models.CharField(
        _("uitkomst"), max_length=10, choices=ErasureOutcome.choices, blank=True
    )
    note = models.CharField(
        _("reden"),
        max_length=500,
        blank=True,
        help_text=_("Waarom het dossier (nog) bewaard blijft."),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("verzoek om verwijdering")
        verbose_name_plural = _("verzoeken om verwijdering")
        ordering = ["handled_at", "-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(handled_at__isnull=True),
                name="mijn_erasure_one_open_per_client",
            ),
            models.CheckConstraint(
                condition=Q(handled_at__isnull=True, outcome="")
                | Q(handled_at__isnull=False, outcome__in=ErasureOutcome.values),
                name="mijn_erasure_outcome_when_handled",
            ),
        ]

    def __str__(self) -> str:
        return str(self.uuid)

    @property
    def is_open(self) -> bool:
        return self.handled_at is None
