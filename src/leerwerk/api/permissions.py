"""The API's permission class: the same model policies as views and the admin.

Reads are scoped by the viewset's queryset (``Model.objects.for_user``), so an object of another
desk is simply not found (404). Writes on a found object ask the policy (403 when the user may
see the object but not change it). Creating asks whether the user may add anywhere at all; the
desk named in the request is checked with ``core.policies.require_permission`` once it is known.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import permissions
from rest_framework.request import Request

from leerwerk.core.constants import Action
from leerwerk.core.policies import policy_for

METHOD_ACTIONS = {
    "GET": Action.VIEW,
    "HEAD": Action.VIEW,
    "OPTIONS": Action.VIEW,
    "POST": Action.ADD,
    "PUT": Action.CHANGE,
    "PATCH": Action.CHANGE,
    "DELETE": Action.DELETE,
}


def action_for(method: str) -> str:
    return METHOD_ACTIONS.get(method.upper(), Action.CHANGE)


def policy_model(view: Any) -> type[models.Model]:
    """The model whose policy guards ``view``: ``view.policy_model`` or the queryset's model."""
    model = getattr(view, "policy_model", None)
    if model is None:
        model = view.get_queryset().model
    return model


class PolicyPermission(permissions.BasePermission):
    """Authenticated users only; the model policy decides per action.

    ``has_permission`` never says no to a read or to a write on an existing object: whether the
    object exists for this user is the queryset's answer (404), and only then whether they may
    change it (403). Saying 403 earlier would tell an adviser that another desk's object exists.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        action = action_for(request.method or "GET")
        if action == Action.ADD:
            return policy_for(policy_model(view)).can_any(user, Action.ADD)
        return True

    def has_object_permission(self, request: Request, view: Any, obj: models.Model) -> bool:
        action = action_for(request.method or "GET")
        return policy_for(type(obj)).can(request.user, action, obj)
