"""Forms of the report pages: the filters (GET) and the figures a desk manager enters by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerwerk.clients.models import TargetGroup
from leerwerk.guidance.constants import Channel, IntakeChannel
from leerwerk.network.forms import StyledForm, style_widgets
from leerwerk.network.models import Desk, DeskPartnership, Municipality, ServiceLine
from leerwerk.reporting.constants import Half
from leerwerk.reporting.models import FigureDefinition, ManualValue, RuleSet
from leerwerk.reporting.selectors import ReportFilters

ALL = [("", _("Alle"))]
FIRST_YEAR = 2015


class ReportFilterForm(StyledForm):
    """The filters of the desk report, and the counting-rules version to compute it under.

    Read from the query string; unknown values are ignored (the report stays unfiltered)."""

    doelgroep = forms.ChoiceField(label=_("Doelgroep"), required=False)
    contactkanaal = forms.ChoiceField(label=_("Kanaal van het contact"), required=False)
    binnengekomen = forms.ChoiceField(label=_("Binnengekomen via"), required=False)
    gemeente = forms.ChoiceField(label=_("Woongemeente"), required=False)
    verwijzer = forms.ChoiceField(label=_("Verwijzer"), required=False)
    dienst = forms.ChoiceField(label=_("Dienstverlening"), required=False)
    telregels = forms.ChoiceField(
        label=_("Telregels"),
        required=False,
        help_text=_("Reken het rapport opnieuw uit met een eerdere versie van de telregels."),
    )

    def __init__(self, data: Any, *, desk: Desk, rulesets: list[RuleSet]) -> None:
        super().__init__(data)
        self.rulesets = {str(r.number): r for r in rulesets}
        fields = self.fields
        fields["doelgroep"].choices = ALL + [
            (t.code, t.name)
            for t in TargetGroup.objects.filter(is_active=True).order_by("sort_order", "name")
        ]
        fields["contactkanaal"].choices = ALL + list(Channel.choices)
        fields["binnengekomen"].choices = ALL + list(IntakeChannel.choices)
        fields["gemeente"].choices = ALL + list(
            Municipality.objects.filter(region_id=desk.region_id)
            .order_by("name")
            .values_list("code", "name")
        )
        fields["verwijzer"].choices = ALL + [
            (str(uuid), name)
            for uuid, name in DeskPartnership.objects.filter(desk=desk)
            .order_by("partner__name")
            .values_list("partner__uuid", "partner__name")
        ]
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

    def cleaned_choices(self) -> dict[str, str]:
        """The valid choices; an unknown value counts as "all"."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}

    def report_filters(self) -> ReportFilters:
        data = self.cleaned_choices()
        return ReportFilters(
            target_group=data.get("doelgroep", ""),
            contact_channel=data.get("contactkanaal", ""),
            intake_channel=data.get("binnengekomen", ""),
            municipality=data.get("gemeente", ""),
            referrer=data.get("verwijzer", ""),
            service_line=data.get("dienst", ""),
        )

    def ruleset(self) -> RuleSet | None:
        """The chosen published version, or None for the version in force."""
        return self.rulesets.get(self.cleaned_choices().get("telregels", ""))


def current_half(today: Any = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, 1 if today.month <= 6 else 2


class HalfYearChoiceForm(StyledForm):
    """Which half-year to enter figures for (GET)."""

    jaar = forms.TypedChoiceField(label=_("Jaar"), coerce=int)
    halfjaar = forms.TypedChoiceField(label=_("Halfjaar"), coerce=int, choices=Half.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["jaar"].choices = [(y, str(y)) for y in range(this_year, FIRST_YEAR - 1, -1)]


class ManualValuesForm(StyledForm):
    """One value (and the version it was loaded with) per hand-entered figure of a half-year."""

    jaar = forms.IntegerField(widget=forms.HiddenInput)
    halfjaar = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        definitions: list[FigureDefinition],
        current: dict[str, ManualValue],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.definitions = definitions
        self.current = current
        for definition in definitions:
            existing = current.get(definition.code)
            self.fields[self.value_name(definition.code)] = forms.CharField(
                label=definition.label,
                required=False,
                max_length=20,
                help_text=definition.explanation,
                initial=_plain(existing.value) if existing else "",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.fields[self.version_name(definition.code)] = forms.IntegerField(
                required=False,
                widget=forms.HiddenInput,
                initial=existing.version if existing else "",
            )
        style_widgets(self)

    @staticmethod
    def value_name(code: str) -> str:
        return f"waarde_{code}"

    @staticmethod
    def version_name(code: str) -> str:
        return f"versie_{code}"

    def value_fields(self) -> list[tuple[FigureDefinition, Any, ManualValue | None]]:
        return [
            (d, self[self.value_name(d.code)], self.current.get(d.code)) for d in self.definitions
        ]

    def changes(self) -> list[tuple[FigureDefinition, str, int | None]]:
        """(definition, entered value, expected version) for every figure that was filled in and
        differs from the stored value."""
        result = []
        for definition in self.definitions:
            raw = (self.cleaned_data.get(self.value_name(definition.code)) or "").strip()
            if not raw:
                continue
            existing = self.current.get(definition.code)
            if existing is not None and _plain(existing.value) == raw:
                continue
            version = self.cleaned_data.get(self.version_name(definition.code))
            result.append((definition, raw, version))
        return result


def _plain(value: Decimal) -> str:
    """A stored value as the user would type it: no trailing ",00", comma as decimal mark."""
    if value == value.to_integral_value():
        return str(int(value))
    return str(value).replace(".", ",")
