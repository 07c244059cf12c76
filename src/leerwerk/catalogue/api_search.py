"""Public read API of the catalogue: ``GET /api/v1/catalogue/offers/`` (search with the same
filters and checks as the pages, facets included) and ``/offers/<uuid>/``. Anyone may read;
anonymous clients are throttled like every public endpoint. Bad parameters give 400 with the
stable error format and Dutch messages per parameter."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from leerwerk.api.schema import LeerwerkAutoSchema
from leerwerk.api.serializers import ErrorSerializer
from leerwerk.catalogue import search
from leerwerk.catalogue.forms_search import api_form
from leerwerk.catalogue.models import Offer
from leerwerk.catalogue.views_search import offer_detail_queryset


class LocationSerializer(serializers.Serializer):
    name = serializers.CharField()
    address = serializers.CharField()
    postcode = serializers.CharField()
    city = serializers.CharField()
    municipality = serializers.CharField(source="municipality_code", default=None)
    latitude = serializers.DecimalField(max_digits=8, decimal_places=5, allow_null=True)
    longitude = serializers.DecimalField(max_digits=8, decimal_places=5, allow_null=True)


class OfferSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    title = serializers.CharField()
    provider = serializers.CharField(source="provider.name")
    level = serializers.CharField()
    nlqf_level = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField()
    learning_paths = serializers.SerializerMethodField()
    sector = serializers.CharField()
    flexible_start = serializers.BooleanField()
    next_start_on = serializers.DateField(allow_null=True)
    duration_amount = serializers.IntegerField(allow_null=True)
    duration_unit = serializers.CharField()
    duration_days = serializers.IntegerField(allow_null=True)
    cost_amount = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    cost_vat_included = serializers.BooleanField()
    language = serializers.CharField()
    crebo_code = serializers.CharField()
    url = serializers.CharField()
    locations = LocationSerializer(many=True, source="shown_locations")
    is_active = serializers.BooleanField()

    def get_learning_paths(self, offer: Offer) -> list[str]:
        return [str(path) for path, column in search.PATH_COLUMNS.items() if getattr(offer, column)]


class OfferDetailSerializer(OfferSerializer):
    description = serializers.CharField()
    cost_includes = serializers.CharField()
    starts = serializers.SerializerMethodField()
    occupations = serializers.SerializerMethodField()

    def get_starts(self, offer: Offer) -> list[str]:
        return [start.starts_on.isoformat() for start in offer.starts.all()]

    def get_occupations(self, offer: Offer) -> list[dict[str, str]]:
        return [{"uri": o.uri, "label": o.label} for o in offer.occupations.all()]


class HitSerializer(serializers.Serializer):
    offer = OfferSerializer()
    distance_km = serializers.FloatField(allow_null=True)
    featured = serializers.BooleanField()


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField(
        allow_null=True, help_text="Null when the result is too large to count exactly."
    )
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    options = FacetOptionSerializer(many=True)


class SearchResultSerializer(serializers.Serializer):
    count = serializers.IntegerField(source="total")
    count_is_estimate = serializers.BooleanField(
        source="total_is_estimate",
        help_text="True for a very large result: count is PostgreSQL's estimate.",
    )
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    results = HitSerializer(many=True, source="hits")
    facets = FacetSerializer(many=True)
    corrected_from = serializers.CharField(
        help_text="The text as sent, when the search ran on a corrected text (see query)."
    )
    query = serializers.CharField(source="query.text")
    did_you_mean = serializers.CharField()


_MULTI = "Repeat for several values (any of them)."
SEARCH_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words to search (Dutch, stemmed)."),
    OpenApiParameter("level", OpenApiTypes.STR, many=True, description=f"mbo_1 … master. {_MULTI}"),
    OpenApiParameter(
        "kind", OpenApiTypes.STR, many=True, description=f"diploma, certificate, course. {_MULTI}"
    ),
    OpenApiParameter(
        "path",
        OpenApiTypes.STR,
        many=True,
        description=f"bol, bbl, part_time, online, in_company. {_MULTI}",
    ),
    OpenApiParameter("sector", OpenApiTypes.STR, many=True, description=f"Sector code. {_MULTI}"),
    OpenApiParameter("postcode", OpenApiTypes.STR, description="Start of a distance search (PC4)."),
    OpenApiParameter(
        "municipality", OpenApiTypes.STR, description="Or a municipality (name or GM code)."
    ),
    OpenApiParameter("distance_km", OpenApiTypes.INT, description="Maximum distance (1–400)."),
    OpenApiParameter("max_cost", OpenApiTypes.DECIMAL, description="Maximum cost in euros."),
    OpenApiParameter("start_from", OpenApiTypes.DATE, description="A start date on or after."),
    OpenApiParameter("start_until", OpenApiTypes.DATE, description="A start date on or before."),
    OpenApiParameter(
        "max_duration_days", OpenApiTypes.INT, description="Maximum duration in days."
    ),
    OpenApiParameter("online", OpenApiTypes.BOOL, description="Online offers only."),
    OpenApiParameter("sort", OpenApiTypes.STR, description="relevance (default), distance, start."),
    OpenApiParameter("page", OpenApiTypes.INT, description="Page (20 per page)."),
]


@extend_schema_view(
    list=extend_schema(
        parameters=SEARCH_PARAMETERS,
        responses={200: SearchResultSerializer, 400: ErrorSerializer},
    ),
    retrieve=extend_schema(responses={200: OfferDetailSerializer, 404: ErrorSerializer}),
)
class OfferViewSet(viewsets.ReadOnlyModelViewSet):
    """Training offers (opleidingen): search active offers; one offer by UUID."""

    permission_classes = [permissions.AllowAny]
    parser_classes = [JSONParser]
    schema = LeerwerkAutoSchema()
    serializer_class = OfferDetailSerializer
    lookup_field = "uuid"
    pagination_class = None

    def get_queryset(self) -> Any:
        return offer_detail_queryset()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form, back = api_form(request.query_params)  # type: ignore[arg-type]
        if not form.is_valid():
            raise exceptions.ValidationError(
                {
                    back.get(name, name): [str(e) for e in errors]
                    for name, errors in form.errors.items()
                }
            )
        result = search.search_offers(form.to_query(today=timezone.localdate()))
        return Response(SearchResultSerializer(result).data)
