"""Admin for the network: reference data, configuration, desks, locations, partners, staff.

Labels come from the models' verbose names (Dutch). Desks, locations, partnerships and
memberships are saved through ``leerwerk.network.services`` (so the admin follows the same
rules, optimistic locking and audit trail as the staff pages and the API); reference data and
configuration have no service and are saved after the form's full_clean.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from leerwerk.core.admin import (
    AuditedViewAdminMixin,
    PolicyAdminMixin,
    PolicyInlineMixin,
    ServiceErrorsAdminMixin,
)
from leerwerk.network import services
from leerwerk.network.models import (
    Certification,
    Desk,
    DeskPartnership,
    ExpertiseTag,
    Location,
    Municipality,
    OpeningHours,
    Partner,
    Postcode,
    Region,
    ServiceLine,
    StaffMembership,
)

HOURS_FIELDS = ["kind", "weekday", "opens", "closes", "note"]


def _adopt(target: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved ``target`` the object a service created, so the admin's
    redirect, change message and related saves point at the saved row."""
    target.__dict__.update(saved.__dict__)


class VersionedAdminForm(forms.ModelForm):
    """Carries ``version`` as a hidden field: a save based on an older version is refused by
    the service (someone else saved in between) instead of silently overwriting it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "version" in self.fields:
            self.fields["version"].widget = forms.HiddenInput()


def _record(formset: Any, *, new: Any = None, changed: Any = None, deleted: Any = None) -> None:
    """What Django's formset.save() would have noted, for the admin's change message."""
    for name in ("new_objects", "changed_objects", "deleted_objects"):
        if not hasattr(formset, name):
            setattr(formset, name, [])
    if new is not None:
        formset.new_objects.append(new)
    if changed is not None:
        formset.changed_objects.append(changed)
    if deleted is not None:
        formset.deleted_objects.append(deleted)


def _changed_values(form: forms.ModelForm, names: list[str]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in names if name in form.changed_data}


# -- reference data and configuration ---------------------------------------------------------


@admin.register(Region)
class RegionAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "population", "central_municipality"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    list_select_related = ["central_municipality"]
    autocomplete_fields = ["central_municipality"]


@admin.register(Municipality)
class MunicipalityAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "region", "province_name", "population"]
    list_filter = ["province_name"]
    search_fields = ["code", "name", "region__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


@admin.register(Postcode)
class PostcodeAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "municipality", "special_description"]
    search_fields = ["=code", "municipality__name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]


@admin.register(ServiceLine)
class ServiceLineAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "sort_order"]
    search_fields = ["name", "code"]


@admin.register(Certification)
class CertificationAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


@admin.register(ExpertiseTag)
class ExpertiseTagAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Partner)
class PartnerAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    readonly_fields = ["uuid", "created_at", "updated_at"]


# -- desks and locations ---------------------------------------------------------------------


class LocationInline(PolicyInlineMixin, admin.TabularInline):
    model = Location
    form = VersionedAdminForm
    fields = ["name", "street", "house_number", "postcode", "city", "is_public", "version"]
    extra = 0
    show_change_link = True


class DeskPartnershipInline(PolicyInlineMixin, admin.TabularInline):
    model = DeskPartnership
    fields = ["partner", "is_core", "note"]
    autocomplete_fields = ["partner"]
    extra = 0


@admin.register(Desk)
class DeskAdmin(ServiceErrorsAdminMixin, PolicyAdminMixin, admin.ModelAdmin):
    form = VersionedAdminForm
    list_display = ["display_name", "region", "organisation_kind", "is_published"]
    list_filter = ["organisation_kind", "is_published"]
    search_fields = ["display_name", "slug", "region__name", "region__code"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    filter_horizontal = ["service_lines"]
    prepopulated_fields = {"slug": ["display_name"]}
    fields = [
        "region",
        "display_name",
        "slug",
        "organisation_kind",
        "service_lines",
        "email",
        "phone",
        "website",
        "introduction",
        "is_published",
        "version",
        "uuid",
        "created_at",
        "updated_at",
    ]
    inlines = [LocationInline, DeskPartnershipInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = ["uuid", "created_at", "updated_at"]
        # The region and web address are structural: the settings service does not move them.
        return [*readonly, "region", "slug"] if obj is not None else readonly

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        return {} if obj is not None else dict(self.prepopulated_fields)

    def save_model(self, request: HttpRequest, obj: Desk, form: Any, change: bool) -> None:
        if not change:  # creating a desk has no service (administrators only): validate, save
            obj.full_clean()
            super().save_model(request, obj, form, change)
            return
        values = _changed_values(form, services.DESK_SETTINGS_FIELDS)
        if not values and "service_lines" not in form.changed_data:
            return
        desk = Desk.objects.get_for_user_or_404(request.user, "change", pk=obj.pk)
        services.desk_update(
            actor=request.user,
            desk=desk,
            expected_version=form.cleaned_data["version"],
            service_lines=form.cleaned_data["service_lines"],
            **values,
        )
        obj.version = desk.version

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if not change:
            form.save_m2m()  # service lines of a new desk
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        desk = form.instance
        if formset.model is Location:
            self._save_locations(request, desk, formset)
        elif formset.model is DeskPartnership:
            self._save_partnerships(request, desk, formset)
        else:  # pragma: no cover - every inline of this admin is handled above
            super().save_formset(request, form, formset, change)

    def _save_locations(self, request: HttpRequest, desk: Desk, formset: Any) -> None:
        _record(formset)
        for inline_form in formset.forms:
            pk = inline_form.instance.pk
            if formset._should_delete_form(inline_form):
                if pk is not None:
                    location = Location.objects.get_for_user_or_404(request.user, "delete", pk=pk)
                    services.location_delete(actor=request.user, location=location)
                    _record(formset, deleted=location)
            elif pk is None:
                if inline_form.has_changed():
                    values = {
                        name: inline_form.cleaned_data[name]
                        for name in services.LOCATION_FIELDS
                        if name in inline_form.cleaned_data
                    }
                    created = services.location_create(actor=request.user, desk=desk, **values)
                    _record(formset, new=created)
            elif inline_form.has_changed():
                location = Location.objects.get_for_user_or_404(request.user, "change", pk=pk)
                values = _changed_values(inline_form, services.LOCATION_FIELDS)
                services.location_update(
                    actor=request.user,
                    location=location,
                    expected_version=inline_form.cleaned_data["version"],
                    **values,
                )
                _record(formset, changed=(location, list(values)))

    def _save_partnerships(self, request: HttpRequest, desk: Desk, formset: Any) -> None:
        _record(formset)
        for inline_form in formset.forms:
            instance = inline_form.instance
            if formset._should_delete_form(inline_form):
                if instance.pk is not None:
                    services.desk_partnership_remove(actor=request.user, partnership=instance)
                    _record(formset, deleted=instance)
            elif instance.pk is None:
                if inline_form.has_changed():
                    created = services.desk_partnership_add(
                        actor=request.user,
                        desk=desk,
                        partner=inline_form.cleaned_data["partner"],
                        is_core=inline_form.cleaned_data.get("is_core", False),
                        note=inline_form.cleaned_data.get("note", ""),
                    )
                    _record(formset, new=created)
            elif inline_form.has_changed():  # no service for is_core/note: validate, save
                instance.full_clean()
                instance.save()
                _record(formset, changed=(instance, inline_form.changed_data))


class OpeningHoursInline(PolicyInlineMixin, admin.TabularInline):
    model = OpeningHours
    fields = HOURS_FIELDS
    extra = 0


@admin.register(Location)
class LocationAdmin(ServiceErrorsAdminMixin, PolicyAdminMixin, admin.ModelAdmin):
    form = VersionedAdminForm
    list_display = ["name", "desk", "city", "postcode", "is_public"]
    list_filter = ["is_public"]
    search_fields = ["name", "city", "postcode", "desk__display_name"]
    list_select_related = ["desk"]
    autocomplete_fields = ["desk"]
    fields = [
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
        "version",
        "uuid",
        "created_at",
        "updated_at",
    ]
    inlines = [OpeningHoursInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = ["municipality", "uuid", "created_at", "updated_at"]
        return [*readonly, "desk"] if obj is not None else readonly

    def save_model(self, request: HttpRequest, obj: Location, form: Any, change: bool) -> None:
        if not change:
            values = {
                name: form.cleaned_data[name]
                for name in services.LOCATION_FIELDS
                if name in form.cleaned_data
            }
            location = services.location_create(actor=request.user, desk=obj.desk, **values)
            _adopt(obj, location)
            return
        values = _changed_values(form, services.LOCATION_FIELDS)
        if values:
            location = Location.objects.get_for_user_or_404(request.user, "change", pk=obj.pk)
            services.location_update(
                actor=request.user,
                location=location,
                expected_version=form.cleaned_data["version"],
                **values,
            )
            _adopt(obj, location)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """All hours are replaced at once by the service, which rejects overlaps."""
        _record(formset)
        if formset.model is not OpeningHours or not formset.has_changed():
            return
        rows = [
            {name: inline_form.cleaned_data[name] for name in HOURS_FIELDS}
            for inline_form in formset.forms
            if inline_form.cleaned_data and not formset._should_delete_form(inline_form)
        ]
        saved = services.opening_hours_replace(
            actor=request.user, location=form.instance, hours=rows
        )
        formset.new_objects.extend(saved)

    def delete_model(self, request: HttpRequest, obj: Location) -> None:
        services.location_delete(actor=request.user, location=obj)


# -- staff -------------------------------------------------------------------------------------


@admin.register(StaffMembership)
class StaffMembershipAdmin(
    AuditedViewAdminMixin, ServiceErrorsAdminMixin, PolicyAdminMixin, admin.ModelAdmin
):
    form = VersionedAdminForm
    list_display = ["user", "desk", "role", "fte", "start_date", "end_date"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "desk__display_name"]
    list_select_related = ["user", "desk"]
    autocomplete_fields = ["user", "desk", "mother_organisation"]
    filter_horizontal = ["certifications", "expertise_tags"]
    fields = [
        "user",
        "desk",
        "role",
        "fte",
        "mother_organisation",
        "start_date",
        "end_date",
        "certifications",
        "expertise_tags",
        "version",
        "uuid",
        "created_at",
        "updated_at",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = ["uuid", "created_at", "updated_at"]
        return [*readonly, "user", "desk"] if obj is not None else readonly

    def save_model(
        self, request: HttpRequest, obj: StaffMembership, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        if not change:
            membership = services.staff_membership_create(
                actor=request.user,
                desk=data["desk"],
                email=data["user"].email,
                name=data["user"].name,
                role=data["role"],
                fte=data["fte"],
                start_date=data["start_date"],
                end_date=data.get("end_date"),
                mother_organisation=data.get("mother_organisation"),
                certifications=data.get("certifications", ()),
                expertise_tags=data.get("expertise_tags", ()),
            )
            _adopt(obj, membership)
            return
        values = _changed_values(form, services.MEMBERSHIP_FIELDS)
        m2m_changed = {"certifications", "expertise_tags"} & set(form.changed_data)
        if not values and not m2m_changed:
            return
        membership = StaffMembership.objects.get_for_user_or_404(request.user, "change", pk=obj.pk)
        services.staff_membership_update(
            actor=request.user,
            membership=membership,
            expected_version=data["version"],
            certifications=data["certifications"] if m2m_changed else None,
            expertise_tags=data["expertise_tags"] if m2m_changed else None,
            **values,
        )
        _adopt(obj, membership)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Certifications and expertise were saved by the service."""
