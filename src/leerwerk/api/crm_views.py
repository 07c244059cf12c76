"""API views of the shared CRM: clients, employers, requests, trajectories and registrations
(desk staff), the national vocabulary (public) and partner referrals (partner token).

The same rules as ``leerwerk.api.views``: reads through ``Model.objects.for_user``, one object
through ``get_for_user_or_404`` (another desk's object is 404, also for every action on it),
writes through ``leerwerk.clients.services`` and ``leerwerk.guidance.services``. Client records
are personal data: the national team and the ministry get empty lists and 404s here, and
reading one client leaves an audit event.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from leerwerk.api import crm_serializers as crm
from leerwerk.api.permissions import PolicyPermission
from leerwerk.api.schema import ERROR_DESCRIPTIONS, LeerwerkAutoSchema
from leerwerk.api.serializers import ErrorSerializer
from leerwerk.api.views import DESK_PARAM, PublicViewSet, ScopedViewSet, uuid_param
from leerwerk.clients import selectors as client_selectors
from leerwerk.clients import services as client_services
from leerwerk.clients.constants import ConsentPurpose
from leerwerk.clients.models import Client, Consent, Employer, EmployerContactPerson
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action, GlobalRole
from leerwerk.core.policies import require_permission
from leerwerk.guidance import selectors as guidance_selectors
from leerwerk.guidance import services as guidance_services
from leerwerk.guidance.constants import RegistrationKind, RequestStatus, TrajectoryStatus
from leerwerk.guidance.models import IntakeRequest, Registration, RegistrationType, Trajectory

CONFLICT_RESPONSE = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS["409"])


def _choice_param(request: Request, name: str, choices: Any) -> str | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    if value not in choices.values:
        raise exceptions.ValidationError(
            {name: [_("Kies een van: %(values)s.") % {"values": ", ".join(choices.values)}]}
        )
    return value


def _text_param(request: Request, name: str) -> str:
    return request.query_params.get(name, "").strip()[:100]


class CrmPolicyPermission(PolicyPermission):
    """``PolicyPermission``, and an action on one object (``POST …/{uuid}/accept/``) is never
    refused up front: whether the object exists for the user decides (404), then the policy
    (403). Otherwise the national team would learn from a 403 where others get a 404."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(view, "detail", False) and request.user and request.user.is_authenticated:
            return True
        return super().has_permission(request, view)


class CrmViewSet(ScopedViewSet):
    """Base of the CRM endpoints. ``object_actions`` names the policy action of each extra
    action on one object (they are POSTs or DELETEs, but change the object)."""

    permission_classes = [CrmPolicyPermission]
    object_actions: dict[str, str] = {}

    def get_object(self) -> Any:
        policy_action = self.object_actions.get(self.action or "")
        if policy_action is None:
            return super().get_object()
        return self.base_queryset().get_for_user_or_404(
            self.request.user, policy_action, uuid=self.kwargs["uuid"]
        )

    def action_input(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


def _versioned_values(serializer: serializers.BaseSerializer) -> tuple[int, dict[str, Any]]:
    values = dict(serializer.validated_data)
    return values.pop("version"), values


# -- clients -----------------------------------------------------------------------------------

CLIENT_LIST_PARAMS = [
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description="Search by name, e-mail address, phone number or postcode (leaves out "
        "erased and merged clients).",
    ),
    DESK_PARAM,
]
PURPOSE_PARAM = OpenApiParameter(
    "purpose",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=ConsentPurpose.values,
    description="The purpose of the consent.",
)


@extend_schema_view(
    list=extend_schema(parameters=CLIENT_LIST_PARAMS),
    retrieve=extend_schema(description="One client. Every read is recorded in the audit log."),
)
class ClientViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    CrmViewSet,
):
    """Clients (citizens) of the user's desks, with their consents per purpose.

    Personal data: only the desk's advisers and desk managers see them. Erased clients are
    returned anonymised.
    """

    model = Client
    serializer_class = crm.ClientSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    object_actions = {"consents": Action.CHANGE, "consent_withdraw": Action.CHANGE}

    def base_queryset(self) -> Any:
        consents = Consent.objects.order_by("purpose", "-given_at", "pk")
        return (
            Client.objects.select_related("desk", "municipality", "merged_into")
            .prefetch_related("target_groups", Prefetch("consents", queryset=consents))
            .order_by("family_name", "given_name", "pk")
        )

    def filter_list(self, queryset: Any) -> Any:
        queryset = self.filter_by_desk(queryset)
        if query := _text_param(self.request, "q"):
            found = client_selectors.client_search(user=self.request.user, query=query)
            queryset = queryset.filter(pk__in=found.values("pk"))
        return queryset

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client = self.get_object()
        audit_record(actor=request.user, action="client.view", obj=client, desk_id=client.desk_id)
        return Response(self.get_serializer(client).data)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        values = dict(serializer.validated_data)
        values.pop("version", None)
        desk = values.pop("desk")
        require_permission(self.request.user, Action.ADD, Client, desk_id=desk.pk)
        serializer.instance = client_services.client_create(
            actor=self.request.user,
            desk=desk,
            target_groups=values.pop("target_groups", ()),
            **values,
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        version, values = _versioned_values(serializer)
        values.pop("desk", None)
        client_services.client_update(
            actor=self.request.user,
            client=serializer.instance,
            expected_version=version,
            target_groups=values.pop("target_groups", None),
            **values,
        )

    @extend_schema(
        request=crm.ConsentGiveSerializer,
        responses={201: crm.ConsentSerializer},
        description="Record the client's consent for a purpose (giving it again changes nothing).",
    )
    @action(detail=True, methods=["post"], url_path="consents")
    def consents(self, request: Request, uuid: str) -> Response:
        client = self.get_object()
        values = self.action_input(crm.ConsentGiveSerializer)
        consent = client_services.consent_give(
            actor=request.user,
            client=client,
            purpose=values["purpose"],
            follow_up_after_months=values.get("follow_up_after_months"),
            source="API",
        )
        return Response(crm.ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[PURPOSE_PARAM],
        request=None,
        responses={204: None},
        description="Withdraw the client's consent for a purpose, at once. 404 when there is "
        "no current consent for it.",
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"consents/(?P<purpose>[a-z_]+)",
        url_name="consent-withdraw",
    )
    def consent_withdraw(self, request: Request, uuid: str, purpose: str) -> Response:
        client = self.get_object()
        if purpose not in ConsentPurpose.values:
            raise exceptions.NotFound
        withdrawn = client_services.consent_withdraw(
            actor=request.user, client=client, purpose=purpose
        )
        if withdrawn is None:
            raise exceptions.NotFound(_("Er is geen toestemming voor dit doel."))
        return Response(status=status.HTTP_204_NO_CONTENT)


# -- employers ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="Part of the name, or the KvK number."
            ),
            DESK_PARAM,
        ]
    )
)
class EmployerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    CrmViewSet,
):
    """Employers the user's desks work with, and their contact persons."""

    model = Employer
    serializer_class = crm.EmployerSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    object_actions = {"contact_persons": Action.CHANGE}

    def base_queryset(self) -> Any:
        persons = EmployerContactPerson.objects.order_by("name", "pk")
        return (
            Employer.objects.select_related("desk", "municipality")
            .prefetch_related(Prefetch("contact_persons", queryset=persons))
            .order_by("name", "pk")
        )

    def filter_list(self, queryset: Any) -> Any:
        queryset = self.filter_by_desk(queryset)
        if query := _text_param(self.request, "q"):
            kvk = "".join(query.split())
            queryset = queryset.filter(Q(name__icontains=query) | Q(kvk_number=kvk))
        return queryset

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        values = dict(serializer.validated_data)
        values.pop("version", None)
        desk = values.pop("desk")
        require_permission(self.request.user, Action.ADD, Employer, desk_id=desk.pk)
        serializer.instance = client_services.employer_create(
            actor=self.request.user, desk=desk, **values
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        version, values = _versioned_values(serializer)
        values.pop("desk", None)
        client_services.employer_update(
            actor=self.request.user,
            employer=serializer.instance,
            expected_version=version,
            **values,
        )

    @extend_schema(
        request=crm.EmployerContactPersonSerializer,
        responses={201: crm.EmployerContactPersonSerializer},
        description="Add a contact person to the employer.",
    )
    @action(detail=True, methods=["post"], url_path="contact-persons")
    def contact_persons(self, request: Request, uuid: str) -> Response:
        employer = self.get_object()
        values = self.action_input(crm.EmployerContactPersonSerializer)
        person = client_services.employer_contact_person_add(
            actor=request.user, employer=employer, **values
        )
        return Response(
            crm.EmployerContactPersonSerializer(person).data, status=status.HTTP_201_CREATED
        )


# -- intake requests ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=RequestStatus.values, description="new, …"
            ),
            DESK_PARAM,
        ]
    )
)
class IntakeRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    CrmViewSet,
):
    """Questions that reached the user's desks by any channel, before a trajectory exists.

    Staff register phone, walk-in and e-mail questions here (POST); accept/ takes a request
    into work (a trajectory for a new or existing client), dismiss/ closes it without one.
    """

    model = IntakeRequest
    serializer_class = crm.IntakeRequestSerializer
    versioned = False
    object_actions = {"accept": Action.CHANGE, "dismiss": Action.CHANGE}

    def base_queryset(self) -> Any:
        return IntakeRequest.objects.select_related(
            "desk", "referrer_partner", "client", "trajectory"
        ).order_by("-created_at", "pk")

    def filter_list(self, queryset: Any) -> Any:
        queryset = self.filter_by_desk(queryset)
        if value := _choice_param(self.request, "status", RequestStatus):
            queryset = queryset.filter(status=value)
        return queryset

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        values = dict(serializer.validated_data)
        desk = values.pop("desk")
        require_permission(self.request.user, Action.ADD, IntakeRequest, desk_id=desk.pk)
        serializer.instance = guidance_services.intake_request_register(
            actor=self.request.user,
            desk=desk,
            channel=values.pop("channel"),
            consent=values.pop("consent", True),
            **values,
        )

    @extend_schema(
        request=crm.IntakeRequestAcceptSerializer,
        responses={201: crm.TrajectorySerializer},
        description="Take the request into work: link it to an existing client of the desk "
        "(or make a new client from it) and open a trajectory. Answers with the trajectory.",
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, uuid: str) -> Response:
        intake_request = self.get_object()
        values = self.action_input(crm.IntakeRequestAcceptSerializer)
        trajectory = guidance_services.intake_request_accept(
            actor=request.user,
            request=intake_request,
            client=values.get("client"),
            adviser=values.get("adviser"),
            service_line=values.get("service_line"),
        )
        data = crm.TrajectorySerializer(trajectory, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: crm.IntakeRequestSerializer},
        description="Close the request without a trajectory (answered at once, double, spam).",
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, uuid: str) -> Response:
        intake_request = guidance_services.intake_request_dismiss(
            actor=request.user, request=self.get_object()
        )
        return Response(self.get_serializer(intake_request).data)


# -- trajectories ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=TrajectoryStatus.values),
            OpenApiParameter(
                "adviser", OpenApiTypes.STR, description="'me', or an adviser's user UUID."
            ),
            OpenApiParameter("client", OpenApiTypes.UUID, description="One client (UUID)."),
            DESK_PARAM,
        ]
    )
)
class TrajectoryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    CrmViewSet,
):
    """Trajectories of the user's desks: one question of one client at one desk.

    States: registered → intake → in_progress → closed, and on_hold. PATCH changes theme,
    service line and follow-up date; transition/, assign/ and close/ do the rest. Every
    change sends the version it was based on (409 when someone else was first).
    """

    model = Trajectory
    serializer_class = crm.TrajectorySerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    object_actions = {"transition": Action.CHANGE, "assign": Action.CHANGE, "close": Action.CHANGE}

    def base_queryset(self) -> Any:
        return Trajectory.objects.select_related(
            "desk", "client", "service_line", "adviser", "referrer_partner", "intake_request"
        ).order_by("-opened_on", "-created_at", "pk")

    def filter_list(self, queryset: Any) -> Any:
        queryset = self.filter_by_desk(queryset)
        if value := _choice_param(self.request, "status", TrajectoryStatus):
            queryset = queryset.filter(status=value)
        if adviser := _text_param(self.request, "adviser"):
            if adviser.lower() == "me":
                queryset = queryset.filter(adviser=self.request.user)
            else:
                queryset = queryset.filter(adviser__uuid=uuid_param(self.request, "adviser"))
        if client := uuid_param(self.request, "client"):
            queryset = queryset.filter(client__uuid=client)
        return queryset

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        values = dict(serializer.validated_data)
        values.pop("version", None)
        serializer.instance = guidance_services.trajectory_open(actor=self.request.user, **values)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        version, values = _versioned_values(serializer)
        guidance_services.trajectory_update(
            actor=self.request.user,
            trajectory=serializer.instance,
            expected_version=version,
            **values,
        )

    def _respond(self, trajectory: Trajectory) -> Response:
        return Response(self.get_serializer(trajectory).data)

    @extend_schema(
        request=crm.TrajectoryTransitionSerializer,
        responses={200: crm.TrajectorySerializer, 409: CONFLICT_RESPONSE},
        description="Move the trajectory to another status (closing: use close/).",
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, uuid: str) -> Response:
        trajectory = self.get_object()
        values = self.action_input(crm.TrajectoryTransitionSerializer)
        return self._respond(
            guidance_services.trajectory_transition(
                actor=request.user,
                trajectory=trajectory,
                expected_version=values["version"],
                to_status=values["to_status"],
            )
        )

    @extend_schema(
        request=crm.TrajectoryAssignSerializer,
        responses={200: crm.TrajectorySerializer, 409: CONFLICT_RESPONSE},
        description="Assign the trajectory to an adviser of the desk (recorded in the audit "
        "log). See the suggestions on the staff pages.",
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, uuid: str) -> Response:
        trajectory = self.get_object()
        values = self.action_input(crm.TrajectoryAssignSerializer)
        return self._respond(
            guidance_services.trajectory_assign(
                actor=request.user,
                trajectory=trajectory,
                expected_version=values["version"],
                adviser=values["adviser"],
            )
        )

    @extend_schema(
        request=crm.TrajectoryCloseSerializer,
        responses={200: crm.TrajectorySerializer, 409: CONFLICT_RESPONSE},
        description="Close the trajectory with an outcome and its date.",
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, uuid: str) -> Response:
        trajectory = self.get_object()
        values = self.action_input(crm.TrajectoryCloseSerializer)
        return self._respond(
            guidance_services.trajectory_close(
                actor=request.user,
                trajectory=trajectory,
                expected_version=values["version"],
                outcome=values["outcome"],
                outcome_date=values["outcome_date"],
                closed_on=values.get("closed_on"),
            )
        )


# -- registrations -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("trajectory", OpenApiTypes.UUID),
            OpenApiParameter("client", OpenApiTypes.UUID),
            OpenApiParameter("employer", OpenApiTypes.UUID),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=RegistrationKind.values),
            DESK_PARAM,
        ]
    )
)
class RegistrationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    CrmViewSet,
):
    """Registrations of the user's desks: contact moments, instruments, external referrals and
    employer activities, typed against the national vocabulary (/api/v1/vocabulary/).

    Only what already happened can be registered. Desk managers delete a registration made in
    error.
    """

    model = Registration
    serializer_class = crm.RegistrationSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def base_queryset(self) -> Any:
        return Registration.objects.select_related(
            "desk",
            "type",
            "type__version",
            "client",
            "trajectory",
            "employer",
            "partner",
            "adviser",
        ).order_by("-occurred_on", "-created_at", "pk")

    def filter_list(self, queryset: Any) -> Any:
        queryset = self.filter_by_desk(queryset)
        for name in ("trajectory", "client", "employer"):
            if value := uuid_param(self.request, name):
                queryset = queryset.filter(**{f"{name}__uuid": value})
        if kind := _choice_param(self.request, "kind", RegistrationKind):
            queryset = queryset.filter(kind=kind)
        return queryset

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        values = dict(serializer.validated_data)
        values.pop("version", None)
        desk = values.pop("desk")
        require_permission(self.request.user, Action.ADD, Registration, desk_id=desk.pk)
        serializer.instance = guidance_services.registration_create(
            actor=self.request.user, desk=desk, **values
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        version, values = _versioned_values(serializer)
        guidance_services.registration_update(
            actor=self.request.user,
            registration=serializer.instance,
            expected_version=version,
            **values,
        )

    def perform_destroy(self, instance: Registration) -> None:
        guidance_services.registration_delete(actor=self.request.user, registration=instance)


# -- the national vocabulary (public) ----------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("kind", OpenApiTypes.STR, enum=RegistrationKind.values)]
    )
)
class VocabularyViewSet(PublicViewSet):
    """The national vocabulary of registrations in force today: contact moments, instruments,
    external referrals and employer activities, each with its code and version."""

    query_filters = True
    serializer_class = crm.RegistrationTypeSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no database reads
            return RegistrationType.objects.none()
        kind = None
        if self.action == "list":
            kind = _choice_param(self.request, "kind", RegistrationKind)
        return guidance_selectors.registration_types(kind=kind).order_by(
            "kind", "sort_order", "name", "pk"
        )


# -- partner referrals -------------------------------------------------------------------------


class ReferralViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Refer a person to a desk, for partner organisations (UWV, municipalities, colleges).

    Use the token of a partner referrer account: it refers on behalf of its own organisation.
    Desk staff may register a referral on behalf of a partner (``partner``). The person must
    have agreed that the desk contacts them (``consent``: true). The answer holds the request's
    UUID and status only; referrals can not be read back through the API.
    """

    permission_classes = [PolicyPermission]
    parser_classes = [JSONParser]
    schema = LeerwerkAutoSchema()
    policy_model = IntakeRequest
    serializer_class = crm.ReferralSerializer
    pagination_class = None
    http_method_names = ["post", "options"]

    def get_queryset(self) -> QuerySet[IntakeRequest]:
        return IntakeRequest.objects.none()  # nothing can be read here

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        user = self.request.user
        values = dict(serializer.validated_data)
        partner = values.pop("partner", None)
        if getattr(user, "global_role", "") == GlobalRole.PARTNER_REFERRER:
            if partner is not None and partner.pk != getattr(user, "partner_id", None):
                raise exceptions.ValidationError(
                    {"partner": [_("U verwijst namens uw eigen organisatie.")]}
                )
            partner = None  # the service takes the referrer's own organisation
        elif partner is None:
            raise exceptions.ValidationError({"partner": [_("Kies de verwijzende organisatie.")]})
        serializer.instance = guidance_services.intake_request_refer(
            actor=user, partner=partner, **values
        )


__all__ = [
    "ClientViewSet",
    "EmployerViewSet",
    "IntakeRequestViewSet",
    "ReferralViewSet",
    "RegistrationViewSet",
    "TrajectoryViewSet",
    "VocabularyViewSet",
]
