"""The search form of the catalogue pages (Dutch parameter names) and the same checks for the
API (English names mapped onto it), turned into an ``OfferQuery``."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.renderers import Jinja2
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from leerwerk.catalogue import geo
from leerwerk.catalogue.constants import LearningPath, Level, OfferKind
from leerwerk.catalogue.search import OfferQuery, Sort
from leerwerk.clients.constants import Sector
from leerwerk.network.forms import StyledForm

DISTANCE_CHOICES = [
    ("", _("Geen grens")),
    ("5", _("5 km")),
    ("10", _("10 km")),
    ("25", _("25 km")),
    ("50", _("50 km")),
    ("100", _("100 km")),
]
DURATION_CHOICES = [
    ("", _("Maakt niet uit")),
    ("31", _("Hooguit 1 maand")),
    ("92", _("Hooguit 3 maanden")),
    ("183", _("Hooguit een half jaar")),
    ("366", _("Hooguit 1 jaar")),
    ("731", _("Hooguit 2 jaar")),
]
# Form field (Dutch, in page URLs) → OfferQuery facet field.
FACET_PARAMS = {"levels": "niveau", "kinds": "soort", "paths": "leerweg", "sectors": "sector"}
# Parameters of each filter, to build "search again without this filter" links.
FILTER_PARAMS = {
    **{key: [param] for key, param in FACET_PARAMS.items()},
    "distance": ["afstand"],
    "max_cost": ["max_kosten"],
    "start": ["start_vanaf", "start_tot"],
    "max_duration_days": ["max_duur"],
    "online_only": ["online"],
}
# API parameter (English) → form field.
API_PARAMS = {
    "q": "q",
    "level": "niveau",
    "kind": "soort",
    "path": "leerweg",
    "sector": "sector",
    "postcode": "postcode",
    "municipality": "gemeente",
    "distance_km": "afstand",
    "max_cost": "max_kosten",
    "start_from": "start_vanaf",
    "start_until": "start_tot",
    "max_duration_days": "max_duur",
    "online": "online",
    "sort": "sorteren",
    "page": "pagina",
}
MAX_TEXT = 200


WIDGET_RENDERER = Jinja2()


class OfferSearchForm(StyledForm):
    # Its ten inputs are on every search request: Django's own Jinja2 versions of the widget
    # templates render them in half the time of the Django-template ones, with the same HTML
    # (decision 0007; tested against the default renderer). One instance for every form: a
    # renderer compiles and keeps its templates.
    default_renderer = WIDGET_RENDERER

    q = forms.CharField(
        label=_("Zoek een opleiding"),
        help_text=_("Bijvoorbeeld: verpleegkundige, heftruck of kinderopvang."),
        required=False,
        max_length=MAX_TEXT,
    )
    niveau = forms.MultipleChoiceField(label=_("Niveau"), choices=Level.choices, required=False)
    soort = forms.MultipleChoiceField(
        label=_("Soort opleiding"), choices=OfferKind.choices, required=False
    )
    leerweg = forms.MultipleChoiceField(
        label=_("Leerweg"), choices=LearningPath.choices, required=False
    )
    sector = forms.MultipleChoiceField(label=_("Sector"), choices=Sector.choices, required=False)
    postcode = forms.CharField(
        label=_("Uw postcode"),
        help_text=_("Vier cijfers zijn genoeg, bijvoorbeeld 3011."),
        required=False,
        max_length=7,
    )
    gemeente = forms.CharField(label=_("Of uw gemeente"), required=False, max_length=100)
    afstand = forms.TypedChoiceField(
        label=_("Maximale afstand"),
        choices=DISTANCE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    max_kosten = forms.DecimalField(
        label=_("Maximale kosten (euro)"),
        required=False,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
    )
    start_vanaf = forms.DateField(
        label=_("Start vanaf"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start_tot = forms.DateField(
        label=_("Start uiterlijk"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    max_duur = forms.TypedChoiceField(
        label=_("Duur"), choices=DURATION_CHOICES, coerce=int, empty_value=None, required=False
    )
    online = forms.BooleanField(label=_("Alleen online opleidingen"), required=False)
    sorteren = forms.ChoiceField(label=_("Sorteren op"), choices=Sort.CHOICES, required=False)
    pagina = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, api: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.origin: geo.Origin | None = None
        if api:
            # The API takes any whole number of km and days.
            self.fields["afstand"] = forms.IntegerField(required=False, min_value=1, max_value=400)
            self.fields["max_duur"] = forms.IntegerField(
                required=False, min_value=1, max_value=10_000
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        postcode, municipality = data.get("postcode"), data.get("gemeente")
        if postcode:
            if geo.pc4_of(postcode) is None:
                self.add_error("postcode", _("Vul een postcode in van vier cijfers, zoals 3011."))
            else:
                self.origin = geo.origin_for_postcode(postcode)
                if self.origin is None:
                    self.add_error(
                        "postcode",
                        _("Deze postcode kennen we niet, of we weten niet waar hij ligt."),
                    )
        elif municipality:
            self.origin = geo.origin_for_municipality(municipality)
            if self.origin is None:
                self.add_error(
                    "gemeente",
                    _("Deze gemeente kennen we niet. Controleer de naam, bijvoorbeeld Rotterdam."),
                )
        if (
            self.origin is None
            and not self.has_error("postcode")
            and not self.has_error("gemeente")
        ):
            if data.get("afstand"):
                self.add_error(
                    "afstand", _("Vul uw postcode of gemeente in om op afstand te zoeken.")
                )
            if data.get("sorteren") == Sort.DISTANCE:
                self.add_error(
                    "sorteren", _("Vul uw postcode of gemeente in om op afstand te sorteren.")
                )
        start_from, start_until = data.get("start_vanaf"), data.get("start_tot")
        if start_from and start_until and start_until < start_from:
            self.add_error("start_tot", _("Deze datum ligt vóór de datum ‘Start vanaf’."))
        return data

    def to_query(
        self, *, desk_id: int | None = None, hide_hidden: bool = False, today: datetime.date
    ) -> OfferQuery:
        """The query of a valid form (call ``is_valid()`` first)."""
        data = self.cleaned_data
        start_from, start_until = data.get("start_vanaf"), data.get("start_tot")
        if start_until and not start_from:
            start_from = today  # "starts before …" means from today on
        return OfferQuery(
            text=(data.get("q") or "").strip(),
            levels=tuple(data.get("niveau") or ()),
            kinds=tuple(data.get("soort") or ()),
            paths=tuple(data.get("leerweg") or ()),
            sectors=tuple(data.get("sector") or ()),
            origin=self.origin,
            max_distance_km=float(data["afstand"]) if data.get("afstand") else None,
            max_cost=data.get("max_kosten"),
            start_from=start_from,
            start_until=start_until,
            max_duration_days=data.get("max_duur"),
            online_only=bool(data.get("online")),
            desk_id=desk_id,
            hide_hidden=hide_hidden,
            sort=data.get("sorteren") or Sort.RELEVANCE,
            page=data.get("pagina") or 1,
        )


def api_form(params: QueryDict) -> tuple[OfferSearchForm, dict[str, str]]:
    """The search form filled from API parameters, and the map back from form field to API
    parameter (for error messages). Unknown parameters are ignored, like DRF does."""
    data = QueryDict(mutable=True)
    for api_name, form_name in API_PARAMS.items():
        values = params.getlist(api_name)
        if api_name == "online" and values:
            values = ["on" if values[-1].lower() in {"1", "true", "yes", "ja"} else ""]
        if values:
            data.setlist(form_name, values)
    back = {form_name: api_name for api_name, form_name in API_PARAMS.items()}
    return OfferSearchForm(data, api=True), back
