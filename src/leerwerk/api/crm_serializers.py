"""Serializers of the CRM endpoints: clients, employers, requests, trajectories, registrations,
the national vocabulary and partner referrals.

As in ``leerwerk.api.serializers``: serializers check the shape of the input (types, lengths,
choices, formats such as postcode, phone and KvK number) so a client gets every field error at
once, in Dutch; the rules themselves live in ``leerwerk.clients.services`` and
``leerwerk.guidance.services``, which the views call. Related objects are named by UUID (scoped to
what the requesting user may see) or by code, never by database id.
"""

from __future__ import annotations

import re
import uuid as uuid_module
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from leerwerk.accounts.models import User
from leerwerk.api.serializers import (
    CodeRelatedField,
    MunicipalityRefSerializer,
    ScopedUuidRelatedField,
    VersionedSerializerMixin,
    choice_field,
)
from leerwerk.clients.constants import (
    KVK_PATTERN,
    ConsentPurpose,
    ContactChannel,
    EducationLevel,
    Sector,
    Situation,
    SizeClass,
)
from leerwerk.clients.models import (
    Client,
    Consent,
    Employer,
    EmployerContactPerson,
    TargetGroup,
    phone_validator,
    postcode_validator,
)
from leerwerk.clients.services import ERASED_NAME
from leerwerk.core.constants import Action
from leerwerk.guidance import selectors as guidance_selectors
from leerwerk.guidance.constants import (
    MAX_DURATION_MINUTES,
    Channel,
    IntakeChannel,
    Outcome,
    QuestionTheme,
    RegistrationKind,
    RegistrationStatus,
    RequestStatus,
    TrajectoryStatus,
)
from leerwerk.guidance.models import IntakeRequest, Registration, RegistrationType, Trajectory
from leerwerk.network.models import Desk, Municipality, Partner, ServiceLine, StaffMembership

# -- building blocks -------------------------------------------------------------------------


def _as_uuid(value: Any) -> uuid_module.UUID | None:
    try:
        return uuid_module.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _blank_choice_field(
    name: str, choices: type[models.TextChoices]
) -> type[serializers.ChoiceField]:
    """Like ``choice_field``, for an optional choice that may be empty ("")."""

    @extend_schema_field({"type": "string", "enum": [*choices.values, ""]}, component_name=name)
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("allow_blank", True)
            super().__init__(choices=choices.choices, **kwargs)

    Field.__name__ = f"{name}Field"
    return Field


ConsentPurposeField = choice_field("ConsentPurpose", ConsentPurpose)
ContactChannelField = choice_field("ContactChannel", ContactChannel)
SituationField = choice_field("Situation", Situation)
EducationLevelField = choice_field("EducationLevel", EducationLevel)
SectorField = _blank_choice_field("Sector", Sector)
SizeClassField = _blank_choice_field("SizeClass", SizeClass)
IntakeChannelField = choice_field("IntakeChannel", IntakeChannel)
QuestionThemeField = choice_field("QuestionTheme", QuestionTheme)
RequestStatusField = choice_field("RequestStatus", RequestStatus)
TrajectoryStatusField = choice_field("TrajectoryStatus", TrajectoryStatus)
OutcomeField = choice_field("Outcome", Outcome)
TrajectoryOutcomeField = _blank_choice_field("TrajectoryOutcome", Outcome)
RegistrationKindField = choice_field("RegistrationKind", RegistrationKind)
RegistrationChannelField = _blank_choice_field("RegistrationChannel", Channel)
RegistrationStatusField = choice_field("RegistrationStatus", RegistrationStatus)

_DATE_ERRORS: dict[str, Any] = {"invalid": _("Vul een datum in zoals 2025-03-31.")}


@extend_schema_field(OpenApiTypes.UUID)
class AdviserField(serializers.RelatedField):
    """A staff member named by their user UUID, found among the people of the requesting user's
    desks. Whether they work at the object's desk today is the service's rule."""

    default_error_messages = {
        "does_not_exist": _("Deze medewerker bestaat niet of werkt niet bij uw loket."),
        "invalid": _("Deze medewerker bestaat niet of werkt niet bij uw loket."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", User.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        memberships = StaffMembership.objects.for_user(getattr(request, "user", None), Action.VIEW)
        return User.objects.filter(pk__in=memberships.values("user_id"))

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and data.strip().lower() == "me":
            request = self.context.get("request")
            data = getattr(getattr(request, "user", None), "uuid", "")
        value = _as_uuid(data)
        found = self.get_queryset().filter(uuid=value).first() if value else None
        if found is None:
            self.fail("does_not_exist")
        return found

    def to_representation(self, value: Any) -> str:
        return str(value.uuid)


class PartnerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["uuid", "name"]


# -- clients ---------------------------------------------------------------------------------


class ConsentSerializer(serializers.ModelSerializer):
    """A client's consent for one purpose; ``withdrawn_at`` is set once it is withdrawn."""

    purpose = ConsentPurposeField(read_only=True)

    class Meta:
        model = Consent
        fields = ["purpose", "given_at", "withdrawn_at", "follow_up_after_months", "source"]
        read_only_fields = fields


class ConsentGiveSerializer(serializers.Serializer):
    purpose = ConsentPurposeField()
    follow_up_after_months = serializers.IntegerField(
        min_value=1,
        max_value=36,
        required=False,
        allow_null=True,
        help_text="Only for the purpose follow_up: after how many months (1 to 36).",
    )


class ClientSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """A client (citizen) of a desk. An erased client keeps only what the reports count; the
    personal details come back empty and the name as "Geanonimiseerd"."""

    desk = ScopedUuidRelatedField(
        Desk, help_text="The desk (UUID). Set when the client is created; cannot change."
    )
    preferred_channel = ContactChannelField(required=False)
    situation = SituationField(required=False)
    education_level = EducationLevelField(required=False)
    municipality = MunicipalityRefSerializer(
        read_only=True, allow_null=True, help_text="Derived from the postcode."
    )
    target_groups = CodeRelatedField(
        slug_field="code",
        many=True,
        queryset=TargetGroup.objects.filter(is_active=True),
        required=False,
        help_text="Codes of the target groups.",
    )
    consents = ConsentSerializer(many=True, read_only=True)
    is_erased = serializers.BooleanField(read_only=True)
    merged_into = serializers.SlugRelatedField(slug_field="uuid", read_only=True)

    class Meta:
        model = Client
        fields = [
            "uuid",
            "desk",
            "given_name",
            "family_name",
            "email",
            "phone",
            "preferred_channel",
            "birth_year",
            "postcode",
            "municipality",
            "situation",
            "target_groups",
            "education_level",
            "diploma_obtained",
            "has_startkwalificatie",
            "language_needs",
            "notes",
            "consents",
            "is_erased",
            "erased_at",
            "merged_into",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["uuid", "erased_at", "created_at", "updated_at"]

    def validate_desk(self, desk: Desk) -> Desk:
        if self.instance is not None and desk.pk != self.instance.desk_id:
            raise serializers.ValidationError(
                _("Een klant kan niet naar een ander loket worden verplaatst.")
            )
        return desk

    def to_representation(self, instance: Client) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.is_erased:  # anonymised in the database already; never show more
            data.update(
                given_name=ERASED_NAME,
                family_name="",
                email="",
                phone="",
                postcode="",
                birth_year=None,
                language_needs="",
                notes="",
            )
        return data


# -- employers -------------------------------------------------------------------------------


class EmployerContactPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmployerContactPerson
        fields = ["uuid", "name", "role", "email", "phone"]
        read_only_fields = ["uuid"]


class EmployerSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    desk = ScopedUuidRelatedField(
        Desk, help_text="The desk (UUID). Set when the employer is created; cannot change."
    )
    kvk_number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="Chamber of Commerce number: 8 digits.",
    )
    sector = SectorField(required=False)
    size_class = SizeClassField(required=False)
    municipality = CodeRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text="The municipality of establishment (CBS code, e.g. GM0599).",
    )
    contact_persons = EmployerContactPersonSerializer(
        many=True,
        read_only=True,
        help_text="Add one with POST /staff/employers/{uuid}/contact-persons/.",
    )

    class Meta:
        model = Employer
        fields = [
            "uuid",
            "desk",
            "name",
            "kvk_number",
            "sector",
            "size_class",
            "municipality",
            "notes",
            "contact_persons",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["uuid", "created_at", "updated_at"]
        validators: list[Any] = []  # uniqueness of the KvK number: the service says so

    def validate_kvk_number(self, value: str) -> str:
        compact = "".join((value or "").split())
        if compact and not re.match(KVK_PATTERN, compact):
            raise serializers.ValidationError(_("Een KvK-nummer heeft 8 cijfers."))
        return compact

    def validate_desk(self, desk: Desk) -> Desk:
        if self.instance is not None and desk.pk != self.instance.desk_id:
            raise serializers.ValidationError(
                _("Een werkgever kan niet naar een ander loket worden verplaatst.")
            )
        return desk


# -- intake requests -------------------------------------------------------------------------


class IntakeRequestSerializer(serializers.ModelSerializer):
    """A question that reached the desk. Staff register phone, walk-in and e-mail questions
    here; web-form questions and partner referrals arrive by their own channel."""

    desk = ScopedUuidRelatedField(Desk, help_text="The desk (UUID).")
    channel = IntakeChannelField(help_text="When registering: phone, walk_in, email or other.")
    theme = QuestionThemeField()
    contact_preference = ContactChannelField(required=False)
    consent = serializers.BooleanField(
        write_only=True,
        required=False,
        default=True,
        help_text="The person agreed that the desk contacts them (default true).",
    )
    status = RequestStatusField(read_only=True)
    referrer_partner = PartnerRefSerializer(read_only=True, allow_null=True)
    client = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    trajectory = serializers.SerializerMethodField(
        help_text="The trajectory opened from this request, once accepted."
    )

    class Meta:
        model = IntakeRequest
        fields = [
            "uuid",
            "desk",
            "channel",
            "theme",
            "description",
            "given_name",
            "family_name",
            "email",
            "phone",
            "postcode",
            "contact_preference",
            "consent",
            "consent_given_at",
            "referrer_partner",
            "referrer_name",
            "referral_reason",
            "status",
            "client",
            "trajectory",
            "handled_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "uuid",
            "consent_given_at",
            "referrer_name",
            "referral_reason",
            "handled_at",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "phone": {"validators": [phone_validator]},
            "postcode": {"validators": [postcode_validator]},
        }

    @extend_schema_field(OpenApiTypes.UUID)
    def get_trajectory(self, request: IntakeRequest) -> str | None:
        try:
            return str(request.trajectory.uuid)
        except Trajectory.DoesNotExist:
            return None


class IntakeRequestAcceptSerializer(serializers.Serializer):
    client = ScopedUuidRelatedField(
        Client,
        required=False,
        allow_null=True,
        help_text="An existing client of the desk (UUID). Without one, a new client is made "
        "from the request.",
    )
    adviser = AdviserField(
        required=False, allow_null=True, help_text="The adviser (user UUID, or 'me')."
    )
    service_line = CodeRelatedField(
        slug_field="code", queryset=ServiceLine.objects.all(), required=False, allow_null=True
    )


# -- trajectories ----------------------------------------------------------------------------


class TrajectorySerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """One question of one client at one desk. Status, adviser and closing change through the
    actions transition/, assign/ and close/; PATCH changes theme, service line and follow-up."""

    desk = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    client = ScopedUuidRelatedField(Client, help_text="The client (UUID). Cannot change.")
    client_name = serializers.CharField(source="client.full_name", read_only=True)
    service_line = CodeRelatedField(
        slug_field="code", queryset=ServiceLine.objects.all(), required=False, allow_null=True
    )
    theme = QuestionThemeField()
    channel = IntakeChannelField(help_text="How the question came in. Cannot change.")
    status = TrajectoryStatusField(read_only=True)
    adviser = AdviserField(
        required=False,
        allow_null=True,
        help_text="The adviser (user UUID, or 'me'). Change it with assign/.",
    )
    adviser_name = serializers.CharField(source="adviser.name", read_only=True, allow_null=True)
    referrer_partner = ScopedUuidRelatedField(
        Partner, required=False, allow_null=True, help_text="The referring partner (UUID)."
    )
    intake_request = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    outcome = TrajectoryOutcomeField(read_only=True)

    class Meta:
        model = Trajectory
        fields = [
            "uuid",
            "desk",
            "client",
            "client_name",
            "service_line",
            "theme",
            "channel",
            "status",
            "adviser",
            "adviser_name",
            "referrer_partner",
            "intake_request",
            "opened_on",
            "follow_up_on",
            "closed_on",
            "outcome",
            "outcome_date",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["uuid", "closed_on", "outcome_date", "created_at", "updated_at"]
        extra_kwargs = {
            "opened_on": {"required": False, "error_messages": _DATE_ERRORS},
            "follow_up_on": {"error_messages": _DATE_ERRORS},
        }

    FIXED_ON_UPDATE = {
        "client": _("De klant van een traject kan niet veranderen."),
        "channel": _("Het kanaal van een traject kan niet veranderen."),
        "referrer_partner": _("De verwijzer van een traject kan niet veranderen."),
        "opened_on": _("De begindatum van een traject kan niet veranderen."),
        "adviser": _("Wijs een andere adviseur toe met de actie assign/."),
    }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None:
            fixed = {
                name: [message] for name, message in self.FIXED_ON_UPDATE.items() if name in attrs
            }
            if fixed:
                raise serializers.ValidationError(fixed)
        return attrs


class TrajectoryTransitionSerializer(serializers.Serializer):
    to_status = TrajectoryStatusField(help_text="The new status (closing: use close/).")
    version = serializers.IntegerField(min_value=1, help_text="The version you read.")


class TrajectoryAssignSerializer(serializers.Serializer):
    adviser = AdviserField(
        allow_null=True, help_text="The adviser (user UUID, or 'me'); null for nobody."
    )
    version = serializers.IntegerField(min_value=1, help_text="The version you read.")


class TrajectoryCloseSerializer(serializers.Serializer):
    outcome = OutcomeField()
    outcome_date = serializers.DateField(error_messages=_DATE_ERRORS)
    closed_on = serializers.DateField(
        required=False,
        allow_null=True,
        error_messages=_DATE_ERRORS,
        help_text="Default: today.",
    )
    version = serializers.IntegerField(min_value=1, help_text="The version you read.")


# -- registrations ---------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class RegistrationTypeCodeField(serializers.Field):
    """The code of a registration type in the national vocabulary, e.g. "adviesgesprek"."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str) or not data.strip():
            raise serializers.ValidationError(_("Kies een registratiesoort."))
        return data.strip()[:50]

    def to_representation(self, value: RegistrationType) -> str:
        return value.code


class RegistrationSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """Something that happened in the work, typed against the national vocabulary (see
    /api/v1/vocabulary/). The type, desk, trajectory, client and employer cannot change."""

    desk = ScopedUuidRelatedField(
        Desk,
        required=False,
        help_text="The desk (UUID). Optional when a trajectory, client or employer is given.",
    )
    kind = RegistrationKindField(
        required=False, help_text="Optional; when given, it must match the type's kind."
    )
    type = RegistrationTypeCodeField(
        help_text="Code of the registration type in the vocabulary in force on occurred_on."
    )
    type_name = serializers.CharField(source="type.name", read_only=True)
    vocabulary_version = serializers.IntegerField(source="type.version.number", read_only=True)
    trajectory = ScopedUuidRelatedField(Trajectory, required=False, allow_null=True)
    client = ScopedUuidRelatedField(
        Client,
        required=False,
        allow_null=True,
        help_text="The client (UUID); taken from the trajectory when one is given.",
    )
    employer = ScopedUuidRelatedField(
        Employer, required=False, allow_null=True, help_text="Only for employer activities."
    )
    partner = ScopedUuidRelatedField(
        Partner, required=False, allow_null=True, help_text="For a referral: to whom."
    )
    adviser = AdviserField(
        required=False, allow_null=True, help_text="Default: you. A user UUID, or 'me'."
    )
    channel = RegistrationChannelField(required=False, help_text="Required for contact moments.")
    status = RegistrationStatusField(required=False)
    duration_minutes = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_DURATION_MINUTES,
        error_messages={
            "min_value": _("De duur ligt tussen 1 minuut en 8 uur."),
            "max_value": _("De duur ligt tussen 1 minuut en 8 uur."),
            "invalid": _("Vul de duur in als een aantal minuten."),
        },
    )

    class Meta:
        model = Registration
        fields = [
            "uuid",
            "desk",
            "kind",
            "type",
            "type_name",
            "vocabulary_version",
            "occurred_on",
            "trajectory",
            "client",
            "employer",
            "partner",
            "adviser",
            "channel",
            "status",
            "duration_minutes",
            "note",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["uuid", "created_at", "updated_at"]
        extra_kwargs = {"occurred_on": {"error_messages": _DATE_ERRORS}}

    FIXED_ON_UPDATE = ("desk", "kind", "type", "trajectory", "client", "employer")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None:
            fixed = [name for name in self.FIXED_ON_UPDATE if name in attrs]
            if fixed:
                message = _(
                    "Dit kan niet meer veranderen. Verwijder de registratie en maak een nieuwe."
                )
                raise serializers.ValidationError({name: [message] for name in fixed})
            return attrs
        errors: dict[str, list[Any]] = {}
        attrs["type"] = self._resolve_type(attrs, errors)
        attrs["desk"] = self._resolve_desk(attrs, errors)
        if errors:
            raise serializers.ValidationError(errors)
        attrs.pop("kind", None)
        return attrs

    @staticmethod
    def _resolve_type(attrs: dict[str, Any], errors: dict[str, list[Any]]) -> Any:
        """The type with this code in the vocabulary in force on the date (or, for a date
        before that vocabulary, today's: the service then explains that it did not apply yet)."""
        code = attrs["type"]
        today = timezone.localdate()
        on = min(attrs.get("occurred_on") or today, today)
        found = guidance_selectors.registration_types(on=on).filter(code=code).first()
        if found is None and on != today:
            found = guidance_selectors.registration_types(on=today).filter(code=code).first()
        if found is None:
            errors["type"] = [_("Onbekende registratiesoort: %(code)s.") % {"code": code}]
        elif attrs.get("kind") and attrs["kind"] != found.kind:
            errors["kind"] = [
                _("Deze registratiesoort is een %(kind)s.")
                % {"kind": RegistrationKind(found.kind).label.lower()}
            ]
        return found

    @staticmethod
    def _resolve_desk(attrs: dict[str, Any], errors: dict[str, list[Any]]) -> Desk | None:
        desk = attrs.get("desk")
        for name in ("trajectory", "client", "employer"):
            related = attrs.get(name)
            if related is None:
                continue
            if desk is None:
                desk = related.desk
            elif related.desk_id != desk.pk:
                errors[name] = [_("Dit hoort bij een ander loket.")]
        if desk is None:
            errors["desk"] = [_("Kies het loket.")]
        return desk


# -- the national vocabulary -----------------------------------------------------------------


class RegistrationTypeSerializer(serializers.ModelSerializer):
    """One entry of the national vocabulary of registrations in force today."""

    kind = RegistrationKindField(read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    effective_from = serializers.DateField(source="version.effective_from", read_only=True)

    class Meta:
        model = RegistrationType
        fields = [
            "kind",
            "code",
            "name",
            "description",
            "needs_trajectory",
            "version",
            "effective_from",
        ]
        read_only_fields = fields


# -- partner referrals -----------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class DeskUuidOrSlugField(serializers.RelatedField):
    """A desk by its UUID or by its web address (slug, e.g. "rijnmond"): a published desk, or
    one of the requesting user's own desks."""

    default_error_messages = {
        "does_not_exist": _("Dit loket bestaat niet. Controleer de id of het webadres."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Desk.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        own = Desk.objects.for_user(getattr(request, "user", None), Action.VIEW)
        return Desk.objects.filter(models.Q(is_published=True) | models.Q(pk__in=own.values("pk")))

    def to_internal_value(self, data: Any) -> Desk:
        value = str(data or "").strip()[:100]
        uuid = _as_uuid(value)
        lookup: dict[str, Any] = {"uuid": uuid} if uuid else {"slug": value.lower()}
        found = self.get_queryset().filter(**lookup).first() if value else None
        if found is None:
            self.fail("does_not_exist")
        return found  # type: ignore[no-any-return]

    def to_representation(self, value: Any) -> str:
        return str(value.uuid)


class ReferralSerializer(serializers.Serializer):
    """A referral of a person to a desk by a partner organisation (UWV, municipality, college).

    The answer holds only the request's UUID and status: nothing of the person is sent back.
    """

    uuid = serializers.UUIDField(read_only=True, help_text="The new request.")
    status = RequestStatusField(read_only=True)
    desk = DeskUuidOrSlugField(
        write_only=True, help_text="The desk: its UUID or web address (slug)."
    )
    partner = ScopedUuidRelatedField(
        Partner,
        write_only=True,
        required=False,
        allow_null=True,
        help_text="Desk staff only: the referring partner (UUID). A partner referrer always "
        "refers on behalf of their own organisation.",
    )
    referrer_name = serializers.CharField(
        write_only=True, max_length=200, help_text="Name of the person who refers."
    )
    referral_reason = serializers.CharField(write_only=True, max_length=2000)
    consent = serializers.BooleanField(
        write_only=True,
        help_text="The person agreed that the desk contacts them. Required: true.",
    )
    theme = QuestionThemeField(write_only=True)
    description = serializers.CharField(write_only=True, max_length=2000)
    given_name = serializers.CharField(write_only=True, max_length=100)
    family_name = serializers.CharField(
        write_only=True, max_length=150, required=False, allow_blank=True
    )
    email = serializers.EmailField(write_only=True, required=False, allow_blank=True)
    phone = serializers.CharField(
        write_only=True,
        max_length=20,
        required=False,
        allow_blank=True,
        validators=[phone_validator],
    )
    postcode = serializers.CharField(
        write_only=True,
        max_length=7,
        required=False,
        allow_blank=True,
        validators=[postcode_validator],
    )
    contact_preference = ContactChannelField(write_only=True, required=False)
