"""Admin for accounts: users (e-mail log-in, no username) and API tokens.

Roles at a desk are memberships (network admin), global roles are a field on the user; Django's
groups and model permissions are not used (the policies decide), so the Group admin is removed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from leerwerk.accounts.models import ApiToken, User
from leerwerk.accounts.services import api_token_create, api_token_revoke
from leerwerk.core.admin import AuditedViewAdminMixin, PolicyAdminMixin
from leerwerk.core.constants import Action
from leerwerk.core.policies import policy_for

if admin.site.is_registered(Group):
    admin.site.unregister(Group)


class UserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name", "global_role")

    def clean_email(self) -> str:
        return (self.cleaned_data.get("email") or "").strip().lower()


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedViewAdminMixin, PolicyAdminMixin, DjangoUserAdmin):
    """Users log in with their e-mail address. The password is set with the admin's own
    password form (the link under the password field), never shown or typed here."""

    form = UserEditForm
    add_form = UserAddForm
    list_display = ["email", "name", "global_role", "is_active", "last_login"]
    list_filter = ["global_role", "is_active", "is_superuser"]
    search_fields = ["email", "name"]
    ordering = ["email"]
    filter_horizontal: list[str] = []
    readonly_fields = ["uuid", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persoon"), {"fields": ("name", "uuid")}),
        (_("Toegang"), {"fields": ("global_role", "is_active", "is_superuser")}),
        (_("Datums"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "name",
                    "global_role",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(self.readonly_fields)
        if not request.user.is_superuser:
            readonly.append("is_superuser")  # only a superuser makes another superuser
        return readonly


@admin.register(ApiToken)
class ApiTokenAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Tokens are stored as a hash. A new token is shown once, in a message after saving."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "status"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return ["user", "name", "expires_at"]
        return [
            "user",
            "name",
            "expires_at",
            "prefix",
            "digest",
            "created_at",
            "last_used_at",
            "revoked_at",
            "uuid",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return ["user", "prefix", "digest", "created_at", "last_used_at", "revoked_at", "uuid"]

    @admin.display(description=_("status"))
    def status(self, token: ApiToken) -> str:
        if token.revoked_at:
            return str(_("ingetrokken"))
        if token.expires_at and token.expires_at <= timezone.now():
            return str(_("verlopen"))
        return str(_("actief"))

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            obj.full_clean()
            super().save_model(request, obj, form, change)
            return
        token, raw = api_token_create(user=obj.user, name=obj.name, expires_at=obj.expires_at)
        obj.__dict__.update(token.__dict__)
        messages.warning(
            request,
            _(
                "Het nieuwe token is: %(token)s — kopieer het nu. Het wordt niet opnieuw "
                "getoond; alleen een hash wordt bewaard."
            )
            % {"token": raw},
        )

    @admin.action(description=_("Geselecteerde tokens intrekken"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        policy = policy_for(ApiToken)
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            if policy.can(request.user, Action.CHANGE, token):
                api_token_revoke(token=token)
                revoked += 1
        messages.success(
            request,
            ngettext("%(count)d token ingetrokken.", "%(count)d tokens ingetrokken.", revoked)
            % {"count": revoked},
        )
