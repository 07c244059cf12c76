"""The scoping layer: every model with a policy gets ``for_user`` and ``get_for_user_or_404``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404

from leerwerk.core.constants import Action
from leerwerk.core.policies import policy_for


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user: Any, action: str = Action.VIEW) -> Any:
        """The objects ``user`` may do ``action`` on, according to the model's policy."""
        return policy_for(self.model).scope(self, user, action)

    def get_for_user_or_404(self, user: Any, action: str = Action.VIEW, **lookup: Any) -> Any:
        """One object ``user`` may do ``action`` on.

        404 when the user may not even see it (so nobody learns that another desk's object
        exists); 403 when they may see it but not do ``action``.
        """
        try:
            return self.for_user(user, action).get(**lookup)
        except (self.model.DoesNotExist, ValidationError, ValueError):
            pass
        if action != Action.VIEW and self.for_user(user, Action.VIEW).filter(**lookup).exists():
            raise PermissionDenied
        raise Http404
