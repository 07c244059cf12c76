"""Serializers of the API. They translate JSON to Python values and back; they never save.

Writes go through ``leerwerk.network.services`` (see ``leerwerk.api.views``); serializers only
check the shape of the input (types, lengths, choices, model validators) so a client gets every
field error at once, in Dutch. Related objects are named by UUID or code, never by database id.
"""

from __future__ import annotations

import uuid as uuid_module
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from leerwerk.core.constants import Action
from leerwerk.network.constants import HoursKind, PartnerKind, Weekday
from leerwerk.network.models import (
    Certification,
    Desk,
    DeskPartnership,
    ExpertiseTag,
    Location,
    Municipality,
    OpeningHours,
    Partner,
    Region,
    ServiceLine,
    StaffMembership,
)

# -- building blocks -------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (see ``leerwerk.api.exceptions``)."""

    code = serializers.CharField(
        help_text="Fixed code: invalid, conflict, not_found, permission_denied, "
        "not_authenticated, authentication_failed, throttled, …"
    )
    detail = serializers.CharField(help_text="Explanation in Dutch, for people.")
    fields = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Only with code 'invalid': per field a list of Dutch messages; for a list of "
        'objects (such as `hours`) an object with, per position in the list ("0", "1", …), '
        "the messages per field of that item.",
    )


@extend_schema_field(OpenApiTypes.UUID)
class ScopedUuidRelatedField(serializers.RelatedField):
    """A related object named by its UUID, looked up in what the requesting user may see.

    An unknown UUID and one of an object the user may not see give the same message, so the
    API never tells whether another desk's object exists.
    """

    default_error_messages = {
        "does_not_exist": _("Dit object bestaat niet of u hebt er geen toegang toe."),
        "invalid": _("Dit object bestaat niet of u hebt er geen toegang toe."),
    }

    def __init__(self, model: type[models.Model], **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return self.model.objects.for_user(user, Action.VIEW)  # type: ignore[attr-defined]

    def to_internal_value(self, data: Any) -> Any:
        try:
            value = uuid_module.UUID(str(data))
        except (TypeError, ValueError, AttributeError):
            self.fail("invalid")
        try:
            return self.get_queryset().get(uuid=value)
        except self.model.DoesNotExist:  # type: ignore[attr-defined]
            self.fail("does_not_exist")

    def to_representation(self, value: Any) -> str:
        return str(value.uuid)


class CodeRelatedField(serializers.SlugRelatedField):
    """A reference object (service line, certification, expertise, municipality) by its code."""

    default_error_messages = {
        "does_not_exist": _("Onbekende code: %(value)s."),
        "invalid": _("Onbekende code."),
    }

    def to_internal_value(self, data: Any) -> Any:
        try:
            return self.get_queryset().get(**{self.slug_field: data})
        except (self.get_queryset().model.DoesNotExist, TypeError, ValueError):
            raise serializers.ValidationError(
                self.error_messages["does_not_exist"] % {"value": data}, code="does_not_exist"
            ) from None


def choice_field(
    name: str, choices: type[models.TextChoices] | type[models.IntegerChoices]
) -> type[serializers.ChoiceField]:
    """A choice field documented as one named enum component (``name``) in the schema, so the
    same choices used under several field names, or two choice sets both called ``kind``,
    never collide; and without the database-dependent integer range of the model field."""
    kind = "integer" if issubclass(choices, models.IntegerChoices) else "string"

    @extend_schema_field({"type": kind, "enum": list(choices.values)}, component_name=name)
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(choices=choices.choices, **kwargs)

    Field.__name__ = f"{name}Field"
    return Field


HoursKindField = choice_field("HoursKind", HoursKind)
PartnerKindField = choice_field("PartnerKind", PartnerKind)
WeekdayField = choice_field("Weekday", Weekday)


class RegionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


class MunicipalityRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["code", "name"]


class ServiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceLine
        fields = ["code", "name", "description"]


class DeskRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Desk
        fields = ["uuid", "slug", "display_name"]


# -- public reference data -------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    population = serializers.IntegerField(read_only=True)
    central_municipality = MunicipalityRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "population", "central_municipality"]


class MunicipalitySerializer(serializers.ModelSerializer):
    population = serializers.IntegerField(read_only=True)
    region = RegionRefSerializer(read_only=True)

    class Meta:
        model = Municipality
        fields = ["code", "name", "region", "province_name", "population"]


class PartnerSerializer(serializers.ModelSerializer):
    kind = PartnerKindField(read_only=True)
    municipality = MunicipalityRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Partner
        fields = ["uuid", "name", "kind", "municipality", "website"]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Desk
        fields = ["email", "phone", "website"]


class PublicDeskSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)
    service_lines = ServiceLineSerializer(many=True, read_only=True)
    contact = ContactSerializer(source="*", read_only=True)

    class Meta:
        model = Desk
        fields = [
            "uuid",
            "slug",
            "display_name",
            "region",
            "organisation_kind",
            "service_lines",
            "introduction",
            "contact",
        ]


class OpeningHoursSerializer(serializers.ModelSerializer):
    """One period of opening hours or walk-in hours. Weekday 0 is Monday, 6 is Sunday."""

    kind = HoursKindField()
    weekday = WeekdayField(help_text="0 is Monday, 6 is Sunday.")

    class Meta:
        model = OpeningHours
        fields = ["kind", "weekday", "opens", "closes", "note"]
        extra_kwargs = {
            "opens": {"error_messages": {"invalid": _("Vul een tijd in zoals 09:00.")}},
            "closes": {"error_messages": {"invalid": _("Vul een tijd in zoals 17:00.")}},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        opens, closes = attrs.get("opens"), attrs.get("closes")
        if opens is not None and closes is not None and opens >= closes:
            raise serializers.ValidationError(
                {"closes": [_("De eindtijd moet na de begintijd liggen.")]}
            )
        return attrs


class PublicLocationSerializer(serializers.ModelSerializer):
    desk = DeskRefSerializer(read_only=True)
    municipality = MunicipalityRefSerializer(read_only=True, allow_null=True)
    hours = OpeningHoursSerializer(many=True, read_only=True)

    class Meta:
        model = Location
        fields = [
            "uuid",
            "desk",
            "name",
            "street",
            "house_number",
            "postcode",
            "city",
            "municipality",
            "phone",
            "email",
            "accessibility_notes",
            "hours",
        ]


class PostcodeResultSerializer(serializers.Serializer):
    """The desk finder's answer for one postcode."""

    postcode = serializers.CharField(help_text="The 4-digit postcode area that was looked up.")
    municipality = MunicipalityRefSerializer(allow_null=True)
    region = RegionRefSerializer(allow_null=True)
    desks = PublicDeskSerializer(many=True)
    message = serializers.CharField(
        allow_blank=True,
        help_text="A Dutch explanation when no desk is found, e.g. for DUO's special codes "
        "for people living abroad. Empty otherwise.",
    )


# -- staff: versioned writes ------------------------------------------------------------------


class VersionedSerializerMixin(serializers.Serializer):
    """``version`` is read on every object; a change must send the version it was based on."""

    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Optimistic locking: send the version you read. A change based on an older "
        "version is refused with 409.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError(
                {"version": [_("Geef het versienummer mee van de gegevens die u hebt gelezen.")]}
            )
        return attrs


class StaffDeskSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)
    service_lines = CodeRelatedField(
        slug_field="code", many=True, queryset=ServiceLine.objects.all(), required=False
    )

    class Meta:
        model = Desk
        fields = [
            "uuid",
            "slug",
            "display_name",
            "region",
            "organisation_kind",
            "service_lines",
            "email",
            "phone",
            "website",
            "introduction",
            "is_published",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["uuid", "slug", "created_at", "updated_at"]


class StaffLocationSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    desk = ScopedUuidRelatedField(
        Desk, help_text="The desk (UUID). Set when the location is created; cannot change."
    )
    municipality = MunicipalityRefSerializer(read_only=True, allow_null=True)
    hours = OpeningHoursSerializer(
        many=True,
        required=False,
        help_text="All opening and walk-in hours. When sent, they replace the current ones.",
    )

    class Meta:
        model = Location
        fields = [
            "uuid",
            "desk",
            "name",
            "street",
            "house_number",
            "postcode",
            "city",
            "municipality",
            "phone",
            "email",
            "accessibility_notes",
            "is_public",
            "hours",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["uuid", "created_at", "updated_at"]

    def validate_desk(self, desk: Desk) -> Desk:
        if self.instance is not None and desk.pk != self.instance.desk_id:
            raise serializers.ValidationError(
                _("Een vestiging kan niet naar een ander loket worden verplaatst.")
            )
        return desk


class StaffUserSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)


class StaffMembershipSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    desk = ScopedUuidRelatedField(
        Desk, help_text="The desk (UUID). Set when the membership is created; cannot change."
    )
    user = StaffUserSerializer(read_only=True)
    email = serializers.EmailField(
        write_only=True,
        required=False,
        help_text="Only when creating: the person's e-mail address. A new address gets an "
        "account without a password; the person sets one with the password-reset link.",
    )
    name = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=200)
    mother_organisation = ScopedUuidRelatedField(Partner, required=False, allow_null=True)
    certifications = CodeRelatedField(
        slug_field="name", many=True, queryset=Certification.objects.all(), required=False
    )
    expertise_tags = CodeRelatedField(
        slug_field="slug", many=True, queryset=ExpertiseTag.objects.all(), required=False
    )
    is_active = serializers.SerializerMethodField(
        help_text="Whether the membership gives access today."
    )

    class Meta:
        model = StaffMembership
        fields = [
            "uuid",
            "desk",
            "user",
            "email",
            "name",
            "role",
            "fte",
            "start_date",
            "end_date",
            "mother_organisation",
            "certifications",
            "expertise_tags",
            "is_active",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["uuid", "created_at", "updated_at"]

    def get_is_active(self, membership: StaffMembership) -> bool:
        return membership.is_active_on(timezone.localdate())

    def validate_desk(self, desk: Desk) -> Desk:
        if self.instance is not None and desk.pk != self.instance.desk_id:
            raise serializers.ValidationError(
                _("Een lidmaatschap kan niet naar een ander loket worden verplaatst.")
            )
        return desk

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is None and not attrs.get("email"):
            raise serializers.ValidationError({"email": [_("Vul het e-mailadres in.")]})
        if self.instance is not None and ("email" in attrs or "name" in attrs):
            raise serializers.ValidationError(
                {
                    "email": [
                        _(
                            "E-mailadres en naam van een medewerker wijzigt de beheerder, niet het loket."
                        )
                    ]
                }
            )
        return attrs


class StaffPartnershipSerializer(serializers.ModelSerializer):
    desk = ScopedUuidRelatedField(Desk, help_text="The desk (UUID).")
    partner = PartnerSerializer(read_only=True)
    partner_uuid = ScopedUuidRelatedField(
        Partner,
        write_only=True,
        required=False,
        allow_null=True,
        help_text="An existing partner organisation (UUID, see /api/v1/partners/).",
    )
    new_partner_name = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Or register a new partner organisation: its name …",
    )
    new_partner_kind = PartnerKindField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="… and its kind.",
    )
    new_partner_municipality = CodeRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        write_only=True,
        required=False,
        allow_null=True,
        help_text="For a new municipality partner: the municipality's CBS code (GM0599).",
    )

    class Meta:
        model = DeskPartnership
        fields = [
            "uuid",
            "desk",
            "partner",
            "partner_uuid",
            "new_partner_name",
            "new_partner_kind",
            "new_partner_municipality",
            "is_core",
            "note",
        ]
        read_only_fields = ["uuid"]
