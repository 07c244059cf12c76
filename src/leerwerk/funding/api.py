"""Funding endpoints of the API (/api/v1/funding/…).

* ``GET funding/arrangements/`` and ``…/{uuid}/``: the arrangements in use with their
  conditions (public; filters ``scope`` and ``region``).
* ``POST funding/evaluate/``: evaluate the arrangements for a situation and an optional
  training (public, nothing is stored). Rate-limited per client address (per user when logged
  in) with its own rate ``LEERWERK_FUNDING_EVALUATE_RATE`` (default 30/minute), on top of the
  general anonymous rate.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import permissions, serializers, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from leerwerk.api.schema import LeerwerkAutoSchema
from leerwerk.clients.constants import EducationLevel, Sector, SizeClass
from leerwerk.funding import selectors
from leerwerk.funding.constants import (
    AGE_MAX,
    AGE_MIN,
    Scope,
    TrainingKind,
    TrainingLevel,
    TrainingList,
    Verdict,
    situation_choices,
)
from leerwerk.funding.eligibility import describe_condition
from leerwerk.funding.models import FundingArrangement

DEFAULT_EVALUATE_RATE = "30/minute"

# -- read endpoints --------------------------------------------------------------------------


class FundingConditionSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Condition kind, e.g. `situation`, `age`.")
    operator = serializers.CharField(help_text="`in`, `not_in` or `between`.")
    values = serializers.ListField(child=serializers.CharField())
    minimum = serializers.IntegerField(allow_null=True)
    maximum = serializers.IntegerField(allow_null=True)
    description = serializers.CharField(help_text="The condition in Dutch words.")
    implicit = serializers.BooleanField(
        help_text="True for the region condition that follows from a regional arrangement."
    )


class FundingRegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class FundingArrangementSerializer(serializers.ModelSerializer):
    provider_label = serializers.CharField(source="get_provider_display")
    scope_label = serializers.CharField(source="get_scope_display")
    region = serializers.SerializerMethodField()
    is_stale = serializers.SerializerMethodField()
    conditions = serializers.SerializerMethodField()
    not_combinable_with = serializers.SerializerMethodField()

    class Meta:
        model = FundingArrangement
        fields = [
            "uuid",
            "name",
            "provider",
            "provider_label",
            "provider_name",
            "scope",
            "scope_label",
            "region",
            "audience",
            "description",
            "max_amount",
            "own_contribution",
            "own_contribution_percentage",
            "amount_note",
            "valid_from",
            "valid_until",
            "how_to_apply",
            "apply_url",
            "source_url",
            "checked_on",
            "is_stale",
            "is_example",
            "conditions",
            "not_combinable_with",
        ]

    @extend_schema_field(FundingRegionSerializer(allow_null=True))
    def get_region(self, obj: FundingArrangement) -> dict[str, str] | None:
        if obj.desk is None:
            return None
        return {"code": obj.desk.region.code, "name": obj.desk.region.name}

    def get_is_stale(self, obj: FundingArrangement) -> bool:
        return obj.is_stale(timezone.localdate())

    @extend_schema_field(FundingConditionSerializer(many=True))
    def get_conditions(self, obj: FundingArrangement) -> list[dict[str, Any]]:
        [rules] = selectors.arrangement_rules([obj])
        return [
            {
                "kind": rule.kind,
                "operator": rule.operator,
                "values": list(rule.values),
                "minimum": rule.minimum,
                "maximum": rule.maximum,
                "description": describe_condition(rule),
                "implicit": rule.key == "scope",
            }
            for rule in sorted(rules.conditions, key=lambda r: r.sort_key())
        ]

    def get_not_combinable_with(self, obj: FundingArrangement) -> list[str]:
        return [str(other.uuid) for other in obj.not_combinable_with.all()]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "scope", OpenApiTypes.STR, enum=list(Scope.values), description="Only this scope."
            ),
            OpenApiParameter(
                "region",
                OpenApiTypes.STR,
                description="Region code, e.g. AM22: national and sector arrangements plus the "
                "regional ones of this region.",
            ),
        ]
    )
)
class ArrangementViewSet(viewsets.ReadOnlyModelViewSet):
    """Funding arrangements in use, with their eligibility conditions (public)."""

    permission_classes = [permissions.AllowAny]
    parser_classes = [JSONParser]
    schema = LeerwerkAutoSchema()
    serializer_class = FundingArrangementSerializer
    lookup_field = "uuid"
    query_filters = True

    def get_queryset(self) -> QuerySet[FundingArrangement]:
        queryset: Any = selectors.all_public_arrangements()
        if self.action == "list":
            if (scope := self.request.query_params.get("scope", "")) in Scope.values:
                queryset = queryset.filter(scope=scope)
            if region := self.request.query_params.get("region", "").strip().upper():
                queryset = queryset.for_region_code(region)
        return queryset


# -- evaluate --------------------------------------------------------------------------------


class EvaluateThrottle(SimpleRateThrottle):
    """Per client address (anonymous) or per user; its own rate, also for logged-in users."""

    scope = "funding_evaluate"

    def get_rate(self) -> str:
        return getattr(settings, "LEERWERK_FUNDING_EVALUATE_RATE", DEFAULT_EVALUATE_RATE)

    def get_cache_key(self, request: Request, view: Any) -> str:
        user = request.user
        ident = str(user.pk) if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def _choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, **kwargs)


class FundingSituationInputSerializer(serializers.Serializer):
    situations = serializers.ListField(
        child=_choice(situation_choices()),
        required=False,
        max_length=10,
        help_text="Situations that apply (several allowed); empty or absent: unknown.",
    )
    age = serializers.IntegerField(
        required=False, allow_null=True, min_value=AGE_MIN, max_value=AGE_MAX
    )
    education_level = _choice(
        [c for c in EducationLevel.choices if c[0] != EducationLevel.UNKNOWN],
        required=False,
        allow_null=True,
    )
    sector = _choice(Sector.choices, required=False, allow_null=True)
    employer_size = _choice(SizeClass.choices, required=False, allow_null=True)
    postcode = serializers.RegexField(
        r"^\s*[1-9][0-9]{3}\s*([A-Za-z]{2})?\s*$",
        required=False,
        allow_blank=True,
        help_text="4-digit or full postcode; gives the municipality and region.",
    )

    def validate_postcode(self, value: str) -> str:
        if value and selectors.place_for_postcode(value) is None:
            raise serializers.ValidationError(_("Deze postcode kennen we niet."))
        return value


class FundingTrainingInputSerializer(serializers.Serializer):
    kind = _choice(TrainingKind.choices, required=False, allow_null=True)
    level = _choice(TrainingLevel.choices, required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    crebo = serializers.RegexField(r"^\d{5}$", required=False, allow_blank=True)
    lists = serializers.ListField(
        child=_choice(TrainingList.choices),
        required=False,
        allow_null=True,
        help_text="Lists or registers the training is on; absent or null: unknown.",
    )


class FundingEvaluateInputSerializer(serializers.Serializer):
    situation = FundingSituationInputSerializer()
    training = FundingTrainingInputSerializer(required=False, allow_null=True)
    on = serializers.DateField(required=False, help_text="Evaluation date; default today.")


class FundingConditionResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["met", "not_met", "unknown"])
    reason = serializers.CharField(help_text="Dutch reason for this condition.")
    question = serializers.CharField(help_text="The question to answer when unknown.")


class FundingResultSerializer(serializers.Serializer):
    arrangement = serializers.UUIDField(source="uuid")
    name = serializers.CharField()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    summary = serializers.CharField()
    conditions = FundingConditionResultSerializer(many=True)
    questions = serializers.ListField(child=serializers.CharField())
    not_combinable_with = serializers.ListField(
        child=serializers.CharField(), help_text="Names of arrangements in this answer."
    )
    how_to_apply = serializers.CharField()
    apply_url = serializers.CharField()
    checked_on = serializers.DateField()
    is_stale = serializers.BooleanField()
    is_example = serializers.BooleanField()


class FundingEvaluateOutputSerializer(serializers.Serializer):
    on = serializers.DateField()
    region = FundingRegionSerializer(allow_null=True)
    results = FundingResultSerializer(many=True)


class EvaluateView(APIView):
    """Who qualifies: evaluate the arrangements in use for a situation and an optional chosen
    training. Each result has a verdict (`eligible`, `possibly`, `not_eligible`) and a Dutch
    reason per condition; `possibly` lists the questions still to answer. Nothing is stored."""

    permission_classes = [permissions.AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = [*APIView.throttle_classes, EvaluateThrottle]
    schema = LeerwerkAutoSchema()

    @extend_schema(
        request=FundingEvaluateInputSerializer, responses=FundingEvaluateOutputSerializer
    )
    def post(self, request: Request) -> Response:
        data = FundingEvaluateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        answers = values["situation"]
        place = selectors.place_for_postcode(answers.get("postcode") or "")
        situation = selectors.situation_facts(
            situations=answers.get("situations") or [],
            age=answers.get("age"),
            education_level=answers.get("education_level") or "",
            sector=answers.get("sector") or "",
            employer_size=answers.get("employer_size") or "",
            municipality=place.municipality if place else None,
            region=place.region if place else None,
        )
        training_values = values.get("training")
        training = (
            selectors.training_facts(
                kind=training_values.get("kind") or "",
                level=training_values.get("level") or "",
                name=training_values.get("name") or "",
                crebo=training_values.get("crebo") or "",
                lists=training_values.get("lists"),
            )
            if training_values
            else None
        )
        on = values.get("on") or timezone.localdate()
        region = place.region if place else None
        evaluation = selectors.evaluate_public(
            situation, training, on=on, region_id=region.pk if region else None
        )
        output = {
            "on": on,
            "region": {"code": region.code, "name": region.name} if region else None,
            "results": evaluation.as_json(),
        }
        return Response(FundingEvaluateOutputSerializer(output).data)
