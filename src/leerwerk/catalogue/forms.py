"""Forms for the catalogue's staff pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leerwerk.catalogue.constants import CurationStatus, OpportunityKind
from leerwerk.catalogue.importers.storage import ALLOWED_SUFFIXES
from leerwerk.clients.constants import Sector

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("Een CSV-bestand volgens het sjabloon (of JSON of zip bij EDU-DEX en RIO)."),
    )
    full = forms.BooleanField(
        label=_("Volledige levering"),
        required=False,
        initial=True,
        help_text=_(
            "Aangevinkt: opleidingen die niet meer in het bestand staan, worden gedeactiveerd "
            "(niet verwijderd)."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not any(name.endswith(suffix) for suffix in ALLOWED_SUFFIXES):
            raise forms.ValidationError(_("Kies een bestand dat eindigt op .csv, .json of .zip."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 50 MB."))
        return upload


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)


def _sector_choices() -> list[tuple[str, Any]]:
    return [("", _("Kies een sector")), *Sector.choices]


class OpportunityForm(forms.Form):
    """Mark an occupation (chosen from the search results) as an opportunity occupation."""

    occupation = forms.CharField(label=_("Beroep"), widget=forms.HiddenInput, required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=_sector_choices)
    kind = forms.ChoiceField(
        label=_("Soort"), choices=OpportunityKind.choices, initial=OpportunityKind.OPPORTUNITY
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld waarom dit beroep kansrijk is in de regio."),
    )
    is_published = forms.BooleanField(label=_("Tonen op de website"), required=False, initial=True)


class OpportunityEditForm(OpportunityForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["occupation"]


class CurationForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Keuze"),
        choices=[("", _("Geen keuze")), *CurationStatus.choices],
        required=False,
    )
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=250)
