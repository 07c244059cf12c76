"""Forms (GET) of the national overview and of the split pages: the period, the filters that
make sense across desks, the figure to chart or split, and the counting-rules version."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerwerk.guidance.constants import Channel, IntakeChannel
from leerwerk.network.forms import StyledForm
from leerwerk.network.models import ServiceLine
from leerwerk.reporting.constants import Method
from leerwerk.reporting.forms import ALL, FIRST_YEAR
from leerwerk.reporting.models import FigureDefinition, RuleSet
from leerwerk.reporting.selectors import (
    Period,
    ReportFilters,
    in_force_among,
    last_complete_half,
)

#: Figures that can be split by municipality or target group: counts of persons and of
#: registrations (which are about persons too).
SPLITTABLE = (Method.DISTINCT_CLIENTS, Method.REGISTRATIONS)

DIMENSION_MUNICIPALITY = "gemeente"
DIMENSION_TARGET_GROUP = "doelgroep"
DIMENSIONS = [
    (DIMENSION_MUNICIPALITY, _("Woongemeente")),
    (DIMENSION_TARGET_GROUP, _("Doelgroep")),
]


def period_slug(period: Period) -> str:
    return period.label.replace(" ", "-")


def period_choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """Every year and half-year from 2015 up to the one running now, newest first."""
    today = today or timezone.localdate()
    choices: list[tuple[str, str]] = []
    for year in range(today.year, FIRST_YEAR - 1, -1):
        year_label = _("%(year)s, heel jaar") % {"year": year}
        if year == today.year:
            year_label = _("%(year)s, tot nu toe") % {"year": year}
        choices.append((str(year), str(year_label)))
        for half in (2, 1):
            if (year, half) <= (today.year, 1 if today.month <= 6 else 2):
                label = _("%(year)s, %(half)s halfjaar") % {
                    "year": year,
                    "half": _("eerste") if half == 1 else _("tweede"),
                }
                choices.append((f"{year}-H{half}", str(label)))
    return choices


def period_of(slug: str) -> Period:
    year, _sep, half = slug.partition("-H")
    return Period.half(int(year), int(half)) if half else Period.year(int(year))


class _NationalForm(StyledForm):
    """The common part: period, filters that are not about persons, rule-set version."""

    periode = forms.ChoiceField(label=_("Periode"), required=False)
    contactkanaal = forms.ChoiceField(label=_("Kanaal van het contact"), required=False)
    binnengekomen = forms.ChoiceField(label=_("Binnengekomen via"), required=False)
    dienst = forms.ChoiceField(label=_("Dienstverlening"), required=False)
    telregels = forms.ChoiceField(
        label=_("Telregels"),
        required=False,
        help_text=_("Reken het overzicht opnieuw uit met een eerdere versie van de telregels."),
    )

    def __init__(self, data: Any, *, rulesets: list[RuleSet], in_force: RuleSet) -> None:
        # Always bound: a missing choice takes its default, so the page shows what it computed.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("periode"):
            data["periode"] = period_slug(last_complete_half())
        # By default the version in force at the end of the chosen period (not today's).
        try:
            period_end = period_of(data["periode"]).end
        except ValueError:
            period_end = last_complete_half().end
        in_force = in_force_among(rulesets, period_end) or in_force
        if not data.get("telregels"):
            data["telregels"] = str(in_force.number)
        super().__init__(data)
        self.rulesets = {str(r.number): r for r in rulesets}
        self.in_force = in_force
        fields = self.fields
        fields["periode"].choices = period_choices()
        fields["contactkanaal"].choices = ALL + list(Channel.choices)
        fields["binnengekomen"].choices = ALL + list(IntakeChannel.choices)
        fields["dienst"].choices = ALL + list(
            ServiceLine.objects.order_by("sort_order", "name").values_list("code", "name")
        )
        fields["telregels"].choices = [
            (
                number,
                _("Versie %(number)s (geldig vanaf %(date)s)")
                % {"number": number, "date": r.effective_from.strftime("%d-%m-%Y")},
            )
            for number, r in self.rulesets.items()
        ]

    def set_default(self, name: str, value: str) -> None:
        if not self.data.get(name):
            self.data[name] = value

    def choices(self) -> dict[str, str]:
        """The valid choices; an unknown value counts as "all" (or the default)."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}

    def ruleset(self) -> RuleSet:
        return self.rulesets.get(self.choices()["telregels"], self.in_force)

    def period(self) -> Period:
        slug = self.choices()["periode"]
        return period_of(slug) if slug else last_complete_half()

    def report_filters(self) -> ReportFilters:
        data = self.choices()
        return ReportFilters(
            contact_channel=data["contactkanaal"],
            intake_channel=data["binnengekomen"],
            service_line=data["dienst"],
        )

    def filters_used(self) -> list[tuple[str, str]]:
        data = self.choices()
        used = []
        for name in ("contactkanaal", "binnengekomen", "dienst"):
            if data[name]:
                field = self.fields[name]
                choices = dict(field.choices)  # type: ignore[attr-defined]
                used.append((str(field.label), str(choices.get(data[name], data[name]))))
        return used


class NationalOverviewForm(_NationalForm):
    cijfer = forms.ChoiceField(
        label=_("Cijfer in de grafieken en de trend"),
        required=False,
    )
    field_order = ["periode", "cijfer", "contactkanaal", "binnengekomen", "dienst", "telregels"]

    def __init__(self, data: Any, *, rulesets: list[RuleSet], in_force: RuleSet) -> None:
        super().__init__(data, rulesets=rulesets, in_force=in_force)
        chosen = self.rulesets.get(str(self.data.get("telregels", "")), self.in_force)
        self.figures = list(chosen.figures.order_by("sort_order"))
        self.fields["cijfer"].choices = [(f.code, f.label) for f in self.figures]
        self.set_default("cijfer", _default_figure(self.figures))
        self.order_fields(self.field_order)

    def figure(self) -> FigureDefinition | None:
        code = self.choices()["cijfer"] or _default_figure(self.figures)
        return next((f for f in self.figures if f.code == code), None)


def _default_figure(figures: list[FigureDefinition]) -> str:
    codes = [f.code for f in figures]
    if "burgers-bereikt" in codes:
        return "burgers-bereikt"
    return next(
        (f.code for f in figures if f.method == Method.DISTINCT_CLIENTS), codes[0] if codes else ""
    )


class SplitForm(_NationalForm):
    cijfer = forms.ChoiceField(label=_("Cijfer"), required=False)
    naar = forms.ChoiceField(label=_("Uitsplitsen naar"), required=False, choices=DIMENSIONS)
    field_order = [
        "cijfer",
        "naar",
        "periode",
        "contactkanaal",
        "binnengekomen",
        "dienst",
        "telregels",
    ]

    def __init__(self, data: Any, *, rulesets: list[RuleSet], in_force: RuleSet) -> None:
        super().__init__(data, rulesets=rulesets, in_force=in_force)
        chosen = self.rulesets.get(str(self.data.get("telregels", "")), self.in_force)
        self.figures = list(chosen.figures.filter(method__in=SPLITTABLE).order_by("sort_order"))
        self.fields["cijfer"].choices = [(f.code, f.label) for f in self.figures]
        self.set_default("cijfer", _default_figure(self.figures))
        self.set_default("naar", DIMENSION_MUNICIPALITY)
        self.order_fields(self.field_order)

    def figure(self) -> FigureDefinition | None:
        code = self.choices()["cijfer"] or _default_figure(self.figures)
        return next((f for f in self.figures if f.code == code), None)

    def dimension(self) -> str:
        return self.choices()["naar"] or DIMENSION_MUNICIPALITY
