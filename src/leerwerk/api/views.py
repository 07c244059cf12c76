"""API views. Public endpoints read published data; staff endpoints are scoped per user.

Scoping: every staff viewset reads through ``Model.objects.for_user(user, "view")`` and fetches
one object with ``get_for_user_or_404(user, action, uuid=…)``: another desk's object is 404, an
object the user may see but not change is 403. Writes go through ``leerwerk.network.services``;
their ValidationError / ConflictError / PermissionDenied become 400 / 409 / 403
(``leerwerk.api.exceptions``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from leerwerk.api import selectors as api_selectors
from leerwerk.api.permissions import PolicyPermission, action_for
from leerwerk.api.schema import LeerwerkAutoSchema
from leerwerk.api.serializers import (
    ErrorSerializer,
    MunicipalitySerializer,
    PartnerSerializer,
    PostcodeResultSerializer,
    PublicDeskSerializer,
    PublicLocationSerializer,
    RegionSerializer,
    StaffDeskSerializer,
    StaffLocationSerializer,
    StaffMembershipSerializer,
    StaffPartnershipSerializer,
)
from leerwerk.core.constants import Action
from leerwerk.core.exceptions import ConflictError
from leerwerk.core.policies import require_permission
from leerwerk.network import selectors, services
from leerwerk.network.models import (
    Desk,
    DeskPartnership,
    Location,
    Municipality,
    OpeningHours,
    Partner,
    Postcode,
    Region,
    StaffMembership,
)

TRUE_VALUES = {"1", "true", "yes", "ja"}


def uuid_param(request: Request, name: str) -> uuid.UUID | None:
    """The UUID in query parameter ``name``; None when it is absent or empty, a validation
    error (400) when it is not a UUID."""
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise exceptions.ValidationError({name: [_("Dit is geen geldige id (UUID).")]}) from None


DESK_PARAM = OpenApiParameter(
    "desk", OpenApiTypes.UUID, description="Only objects of this desk (UUID)."
)


# -- public endpoints -------------------------------------------------------------------------


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """Anyone may read; anonymous clients are throttled (``LEERWERK_API_ANON_RATE``)."""

    permission_classes = [permissions.AllowAny]
    parser_classes = [JSONParser]
    schema = LeerwerkAutoSchema()


class RegionViewSet(PublicViewSet):
    """The 35 labour-market regions (arbeidsmarktregio's, CBS 2024)."""

    serializer_class = RegionSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Region]:
        return (
            Region.objects.for_user(self.request.user, Action.VIEW)
            .select_related("central_municipality")
            .order_by("code")
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "region", OpenApiTypes.STR, description="Region code, e.g. AM22 (Rijnmond)."
            ),
            OpenApiParameter("q", OpenApiTypes.STR, description="Part of the name."),
        ]
    )
)
class MunicipalityViewSet(PublicViewSet):
    """Municipalities (gemeenten) and the region they belong to."""

    query_filters = True
    serializer_class = MunicipalitySerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Municipality]:
        queryset = (
            Municipality.objects.for_user(self.request.user, Action.VIEW)
            .select_related("region")
            .order_by("name", "code")
        )
        if self.action == "list":
            if region := self.request.query_params.get("region", "").strip():
                queryset = queryset.filter(region__code=region.upper())
            if query := self.request.query_params.get("q", "").strip():
                queryset = queryset.filter(name__icontains=query[:100])
        return queryset


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Part of the name."),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, description="uwv, municipality, college or other."
            ),
        ]
    )
)
class PartnerViewSet(PublicViewSet):
    """Partner organisations of the network (UWV, municipalities, colleges, others)."""

    query_filters = True
    serializer_class = PartnerSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Partner]:
        queryset = (
            Partner.objects.for_user(self.request.user, Action.VIEW)
            .select_related("municipality")
            .order_by("name", "pk")
        )
        if self.action == "list":
            if query := self.request.query_params.get("q", "").strip():
                queryset = queryset.filter(name__icontains=query[:100])
            if kind := self.request.query_params.get("kind", "").strip():
                queryset = queryset.filter(kind=kind)
        return queryset


class DeskViewSet(PublicViewSet):
    """Published desks (leerwerkloketten / werkcentra) with their service lines and contact."""

    serializer_class = PublicDeskSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Desk]:
        return api_selectors.public_desks_with_service_lines()


@extend_schema_view(list=extend_schema(parameters=[DESK_PARAM]))
class LocationViewSet(PublicViewSet):
    """Public locations of published desks, with opening hours and walk-in hours."""

    query_filters = True
    serializer_class = PublicLocationSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Location]:
        queryset = api_selectors.public_locations()
        if self.action == "list" and (desk := uuid_param(self.request, "desk")):
            queryset = queryset.filter(desk__uuid=desk)
        return queryset


_POSTCODE = re.compile(r"^\s*(\d{4})\s*(?:[A-Za-z]{2})?\s*$")


class PostcodeView(APIView):
    """Which desk serves this postcode? ("Welk loket is van mij?")

    Accepts a 4-digit postcode (3011) or a full postcode (3011AB, 3011 AB). Answers with the
    municipality, the region and the published desk(s) of that region.

    * A malformed postcode: 400 with a Dutch message for the field ``code``.
    * An unknown postcode: 404 with a Dutch ``detail``.
    * DUO's special codes (0010–0040, e.g. "woonachtig in België"): 200 with no municipality,
      no region, an empty ``desks`` list and the explanation in ``message``. The code exists,
      it just has no desk, so a client can show the message as it is.
    """

    permission_classes = [permissions.AllowAny]
    parser_classes = [JSONParser]
    schema = LeerwerkAutoSchema()

    @extend_schema(
        responses={200: PostcodeResultSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="A 4-digit postcode (3011) or a full postcode (3011AB).",
            )
        ],
    )
    def get(self, request: Request, code: str) -> Response:
        match = _POSTCODE.match(code)
        if not match:
            raise exceptions.ValidationError(
                {"code": [_("Vul een postcode in van vier cijfers, zoals 3511.")]}
            )
        pc4 = match.group(1)
        postcode = (
            Postcode.objects.for_user(request.user, Action.VIEW)
            .select_related("municipality", "municipality__region")
            .filter(code=pc4)
            .first()
        )
        if postcode is None:
            raise exceptions.NotFound(
                _("Postcode %(code)s kennen we niet. Controleer de postcode.") % {"code": pc4}
            )
        municipality = postcode.municipality
        result = selectors.desk_for_postcode(pc4)
        desks = [found.desk for found in result.matches]
        models.prefetch_related_objects(desks, "service_lines")
        message = result.message
        if municipality is not None and not desks:
            message = _("In de regio %(region)s is nog geen loket te vinden.") % {
                "region": municipality.region.name
            }
        data = {
            "postcode": pc4,
            "municipality": municipality,
            "region": municipality.region if municipality else None,
            "desks": desks,
            "message": message,
        }
        return Response(PostcodeResultSerializer(data, context={"request": request}).data)


# -- staff endpoints --------------------------------------------------------------------------


class ScopedViewSet(viewsets.GenericViewSet):
    """Base of the staff endpoints: token or session, one policy, reads scoped per user."""

    model: type[models.Model]
    permission_classes = [PolicyPermission]
    parser_classes = [JSONParser]
    schema = LeerwerkAutoSchema()
    lookup_field = "uuid"
    versioned = True  # documents 409 in the schema

    @property
    def policy_model(self) -> type[models.Model]:
        return self.model

    def base_queryset(self) -> Any:
        """The model's queryset with what the serializer needs joined or prefetched."""
        return self.model._default_manager.all()

    query_filters = True  # lists take ?desk=<uuid> and more

    def filter_list(self, queryset: Any) -> Any:
        return queryset

    def get_queryset(self) -> Any:
        queryset = self.base_queryset().for_user(self.request.user, Action.VIEW)
        if self.action == "list":
            queryset = self.filter_list(queryset)
        return queryset

    def get_object(self) -> Any:
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        action = action_for(self.request.method or "GET")
        obj = self.base_queryset().get_for_user_or_404(self.request.user, action, **lookup)
        self.check_object_permissions(self.request, obj)
        return obj

    def filter_by_desk(self, queryset: Any, path: str = "desk__uuid") -> Any:
        if desk := uuid_param(self.request, "desk"):
            queryset = queryset.filter(**{path: desk})
        return queryset


class StaffDeskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """The desks the user works at (all desks for the national team and administrators).

    Desk managers change their desk's settings with PATCH, sending the ``version`` they read.
    """

    model = Desk
    serializer_class = StaffDeskSerializer
    query_filters = False
    http_method_names = ["get", "patch", "head", "options"]

    def base_queryset(self) -> Any:
        return (
            Desk.objects.select_related("region")
            .prefetch_related("service_lines")
            .order_by("display_name", "pk")
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        values = dict(serializer.validated_data)
        version = values.pop("version")
        service_lines = values.pop("service_lines", None)
        services.desk_update(
            actor=self.request.user,
            desk=serializer.instance,
            expected_version=version,
            service_lines=service_lines,
            **values,
        )


def _hours_errors_on_field(call: Callable[..., Any], **kwargs: Any) -> Any:
    """Run a location service; errors about the opening hours are reported on ``hours``."""
    try:
        return call(**kwargs)
    except ConflictError:
        raise
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise DjangoValidationError({"hours": exc.error_list}) from exc


@extend_schema_view(list=extend_schema(parameters=[DESK_PARAM]))
class StaffLocationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ScopedViewSet,
):
    """Locations of the user's desks with opening and walk-in hours.

    Desk managers create, change and delete them; ``hours`` replaces all hours when sent.
    """

    model = Location
    serializer_class = StaffLocationSerializer

    def base_queryset(self) -> Any:
        hours = OpeningHours.objects.order_by("kind", "weekday", "opens")
        return (
            Location.objects.select_related("desk", "municipality")
            .prefetch_related(Prefetch("hours", queryset=hours))
            .order_by("desk__display_name", "name", "pk")
        )

    def filter_list(self, queryset: Any) -> Any:
        return self.filter_by_desk(queryset)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        values = dict(serializer.validated_data)
        values.pop("version", None)
        desk = values.pop("desk")
        require_permission(self.request.user, Action.ADD, Location, desk_id=desk.pk)
        serializer.instance = _hours_errors_on_field(
            services.location_create,
            actor=self.request.user,
            desk=desk,
            hours=values.pop("hours", []),
            **values,
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        values = dict(serializer.validated_data)
        version = values.pop("version")
        values.pop("desk", None)
        _hours_errors_on_field(
            services.location_update,
            actor=self.request.user,
            location=serializer.instance,
            expected_version=version,
            hours=values.pop("hours", None),
            **values,
        )

    def perform_destroy(self, instance: Location) -> None:
        services.location_delete(actor=self.request.user, location=instance)


MEMBERSHIP_LIST_PARAMS = [
    DESK_PARAM,
    OpenApiParameter(
        "include_ended",
        OpenApiTypes.BOOL,
        description="Also memberships that have ended (default: only current and future ones).",
    ),
]


@extend_schema_view(
    list=extend_schema(parameters=MEMBERSHIP_LIST_PARAMS),
    destroy=extend_schema(
        description="Ends the membership today (it is kept for the history, with an end "
        "date). Access to the desk stops tomorrow. Optional query parameter `version`: "
        "the version you read; a newer one on the server gives 409.",
        parameters=[OpenApiParameter("version", OpenApiTypes.INT)],
    ),
)
class StaffMembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ScopedViewSet,
):
    """The teams of the user's desks: who works there, in which role, for how many FTE.

    Personal data: the national team and ministry see no memberships here (only figures,
    elsewhere). Desk managers add people, change memberships and end them (DELETE).
    """

    model = StaffMembership
    serializer_class = StaffMembershipSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def base_queryset(self) -> Any:
        return (
            StaffMembership.objects.select_related("desk", "user", "mother_organisation")
            .prefetch_related("certifications", "expertise_tags")
            .order_by("desk__display_name", Lower("user__name"), "user__email", "start_date")
        )

    def filter_list(self, queryset: Any) -> Any:
        queryset = self.filter_by_desk(queryset)
        include_ended = self.request.query_params.get("include_ended", "").lower()
        if include_ended not in TRUE_VALUES:
            today = timezone.localdate()
            queryset = queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        return queryset

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        values = dict(serializer.validated_data)
        values.pop("version", None)
        desk = values.pop("desk")
        require_permission(self.request.user, Action.ADD, StaffMembership, desk_id=desk.pk)
        serializer.instance = services.staff_membership_create(
            actor=self.request.user,
            desk=desk,
            email=values.pop("email"),
            name=values.pop("name", ""),
            certifications=values.pop("certifications", ()),
            expertise_tags=values.pop("expertise_tags", ()),
            **values,
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        values = dict(serializer.validated_data)
        version = values.pop("version")
        values.pop("desk", None)
        services.staff_membership_update(
            actor=self.request.user,
            membership=serializer.instance,
            expected_version=version,
            certifications=values.pop("certifications", None),
            expertise_tags=values.pop("expertise_tags", None),
            **values,
        )

    def perform_destroy(self, instance: StaffMembership) -> None:
        version = self.request.query_params.get("version", "").strip()
        if version and not version.isdigit():
            raise exceptions.ValidationError({"version": [_("Het versienummer is een getal.")]})
        services.staff_membership_end(
            actor=self.request.user,
            membership=instance,
            expected_version=int(version) if version else instance.version,
        )


@extend_schema_view(list=extend_schema(parameters=[DESK_PARAM]))
class StaffPartnershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    ScopedViewSet,
):
    """The partner organisations linked to the user's desks. Desk managers link and unlink."""

    model = DeskPartnership
    serializer_class = StaffPartnershipSerializer
    versioned = False

    def base_queryset(self) -> Any:
        return DeskPartnership.objects.select_related(
            "desk", "partner", "partner__municipality"
        ).order_by("desk__display_name", "-is_core", "partner__name", "pk")

    def filter_list(self, queryset: Any) -> Any:
        return self.filter_by_desk(queryset)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        values = dict(serializer.validated_data)
        desk = values["desk"]
        require_permission(self.request.user, Action.ADD, DeskPartnership, desk_id=desk.pk)
        serializer.instance = services.desk_partnership_add(
            actor=self.request.user,
            desk=desk,
            partner=values.get("partner_uuid"),
            new_partner_name=values.get("new_partner_name", ""),
            new_partner_kind=values.get("new_partner_kind", ""),
            municipality=values.get("new_partner_municipality"),
            is_core=values.get("is_core", False),
            note=values.get("note", ""),
        )

    def perform_destroy(self, instance: DeskPartnership) -> None:
        services.desk_partnership_remove(actor=self.request.user, partnership=instance)


__all__ = [
    "DeskViewSet",
    "LocationViewSet",
    "MunicipalityViewSet",
    "PartnerViewSet",
    "PostcodeView",
    "RegionViewSet",
    "StaffDeskViewSet",
    "StaffLocationViewSet",
    "StaffMembershipViewSet",
    "StaffPartnershipViewSet",
]
