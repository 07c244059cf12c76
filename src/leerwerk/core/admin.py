"""The Django admin (/beheer/) on the same policies as the rest of the platform.

Only administrators reach the admin at all (``User.is_staff`` is true for them and superusers
only). Inside it, every list, page and button asks the model's policy: ``PolicyAdminMixin`` for
model admins, ``PolicyInlineMixin`` for inlines. Saves of objects that have a service go
through that service (see the model admins in network/ and accounts/); the errors a service
raises are shown as a message (``ServiceErrorsAdminMixin``). Opening a page with personal data
leaves an audit event (``AuditedViewAdminMixin``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django_tasks_db.models import DBTaskResult

from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.models import AuditEvent
from leerwerk.core.policies import policy_for


class PolicyAdminMixin:
    """Lists, pages and buttons of a ModelAdmin follow the model's policy."""

    model: type[models.Model]

    def get_queryset(self, request: HttpRequest) -> Any:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return policy_for(self.model).scope(queryset, request.user, Action.VIEW)

    def _policy_allows(self, request: HttpRequest, action: str, obj: Any = None) -> bool:
        policy = policy_for(self.model)
        if obj is None:
            return policy.can_any(request.user, action)
        return policy.can(request.user, action, obj)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")  # Django 6 default, and what we mean
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_staff and policy_for(self.model).can_any(request.user, Action.VIEW)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._policy_allows(request, Action.VIEW, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._policy_allows(request, Action.ADD)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._policy_allows(request, Action.CHANGE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._policy_allows(request, Action.DELETE, obj)


class PolicyInlineMixin(PolicyAdminMixin):
    """For inlines: ``obj`` is the parent object; the policy of the inline's model decides on
    the parent's desk (for desk-owned models) or network-wide."""

    def _policy_allows(self, request: HttpRequest, action: str, obj: Any = None) -> bool:
        policy = policy_for(self.model)
        if obj is None:
            return policy.can_any(request.user, action)
        desk_id = getattr(obj, "desk_id", None) or (
            obj.pk if obj._meta.model_name == "desk" else None
        )
        if desk_id is None:
            return policy.can_any(request.user, action)
        return policy.can_on_desk(request.user, action, desk_id)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:  # type: ignore[override]
        return self._policy_allows(request, Action.ADD, obj)


class ServiceErrorsAdminMixin:
    """A service refused a save (a rule, a conflict with someone else's change): nothing was
    saved (the admin's transaction rolls back) and the reason is shown as a message."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.get_full_path())

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        """The bulk delete action deletes one by one, so ``delete_model`` (a service) runs."""
        for obj in queryset:
            self.delete_model(request, obj)  # type: ignore[attr-defined]


class AuditedViewAdminMixin:
    """Opening the change page of an object with personal data records ``admin.view``."""

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, admin.utils.unquote(object_id))  # type: ignore[attr-defined]
            if obj is not None:
                audit_record(
                    actor=request.user,
                    action="admin.view",
                    obj=obj,
                    desk_id=getattr(obj, "desk_id", None),
                )
        return response


@admin.register(AuditEvent)
class AuditEventAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """The audit log: read-only for everyone (the policy grants no add, change or delete)."""

    list_display = ["at", "action", "object_type", "object_uuid", "actor", "actor_role", "result"]
    list_filter = ["action", "result", "object_type"]
    search_fields = ["action", "object_type", "=object_uuid"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    readonly_fields = (
        "at",
        "actor",
        "actor_role",
        "action",
        "object_type",
        "object_uuid",
        "desk_id",
        "result",
        "detail",
    )
    fields = readonly_fields
    actions = None
    show_full_result_count = False


# The task queue of django-tasks-db, on the platform's policies instead of Django permissions.
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Background tasks: read-only (the worker writes them)."""

    list_display = ["task_name", "status", "enqueued_at", "started_at", "finished_at"]
    list_filter = ["status", "queue_name"]
    readonly_fields = (
        "task_path",
        "status",
        "queue_name",
        "args_kwargs",
        "enqueued_at",
        "started_at",
        "finished_at",
        "return_value",
        "exception_class_path",
        "traceback",
    )
    fields = readonly_fields
    actions = None
    ordering = ["-enqueued_at"]

    @admin.display(description="taak")
    def task_name(self, obj: DBTaskResult) -> str:
        return obj.task_path.rsplit(".", 1)[-1]
