"""Users log in with their e-mail address. Roles: see ``leerwerk.core.access``."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerwerk.core.constants import GlobalRole
from leerwerk.core.models import PublicIdMixin
from leerwerk.core.querysets import ScopedQuerySet


class UserQuerySet(ScopedQuerySet):
    pass


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email__iexact=(username or "").strip())

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).strip().lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("global_role", GlobalRole.ADMINISTRATOR)
        extra["is_superuser"] = True
        return self.create_user(email, password, **extra)


class User(PublicIdMixin, AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mailadres"), max_length=254, unique=True)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    global_role = models.CharField(
        _("landelijke rol"),
        max_length=32,
        choices=GlobalRole.choices,
        blank=True,
        help_text=_(
            "Alleen voor landelijk team, ministerie, beheerders en verwijzers van partners. "
            "Rollen bij een loket lopen via het lidmaatschap van dat loket."
        ),
    )
    partner = models.ForeignKey(
        "network.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("partnerorganisatie"),
        help_text=_("Voor verwijzers van een partner: namens welke organisatie zij verwijzen."),
    )
    is_active = models.BooleanField(
        _("actief"), default=True, help_text=_("Een inactief account kan niet inloggen.")
    )
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("Er bestaat al een account met dit e-mailadres."),
            ),
            models.CheckConstraint(
                condition=models.Q(global_role__in=["", *GlobalRole.values]),
                name="accounts_user_global_role_valid",
                violation_error_message=_("Kies een geldige landelijke rol."),
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = (self.email or "").strip().lower()

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def is_staff(self) -> bool:
        """Django admin access: administrators only (technical configuration)."""
        return self.is_active and (
            self.is_superuser or self.global_role == GlobalRole.ADMINISTRATOR
        )


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(ScopedQuerySet):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(PublicIdMixin, models.Model):
    """A bearer token for the API. Only a hash is stored; the token is shown once."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("gebruiker")
    )
    name = models.CharField(
        _("naam"), max_length=100, help_text=_("Waarvoor wordt dit token gebruikt?")
    )
    prefix = models.CharField(_("begin van het token"), max_length=PREFIX_LENGTH, db_index=True)
    digest = models.CharField(_("hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(raw: str) -> str:
        return _hash_token(raw)
