"""Admin for the catalogue: reference tables and feeds can be maintained here; offers, import
runs and regional curation are read-only (they change through imports and the staff pages,
whose services keep the derived columns and the rules in one place)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from leerwerk.catalogue.models import (
    Feed,
    ImportRowError,
    ImportRun,
    Occupation,
    Offer,
    OfferLocation,
    OfferStart,
    OpportunityOccupation,
    Provider,
    Qualification,
)
from leerwerk.core.admin import PolicyAdminMixin


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Qualification)
class QualificationAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "learning_paths", "sector_chamber"]
    list_filter = ["level", "sector_chamber"]
    search_fields = ["=code", "name", "dossier_name"]


@admin.register(Occupation)
class OccupationAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["label", "code", "isco_group"]
    search_fields = ["label", "alt_labels", "=code", "=isco_group"]


@admin.register(Feed)
class FeedAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "desk"]
    list_filter = ["kind"]
    list_select_related = ["desk"]
    search_fields = ["name"]


@admin.register(Provider)
class ProviderAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "source_key", "kvk_number", "brin_code"]
    search_fields = ["name", "=source_key", "=kvk_number", "=brin_code"]


class OfferLocationInline(ReadOnlyMixin, admin.TabularInline):
    model = OfferLocation
    extra = 0
    fields = readonly_fields = ("name", "address", "postcode", "city", "municipality")


class OfferStartInline(ReadOnlyMixin, admin.TabularInline):
    model = OfferStart
    extra = 0
    fields = readonly_fields = ("starts_on", "location")


@admin.register(Offer)
class OfferAdmin(ReadOnlyMixin, PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "provider", "level", "kind", "feed", "is_active"]
    list_filter = ["is_active", "level", "kind", "feed"]
    list_select_related = ["provider", "feed"]
    search_fields = ["title", "=source_id", "provider__name"]
    inlines = [OfferLocationInline, OfferStartInline]


class ImportRowErrorInline(ReadOnlyMixin, admin.TabularInline):
    model = ImportRowError
    extra = 0
    fields = readonly_fields = ("line", "source_id", "field", "reason")


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyMixin, PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["file_name", "feed", "status", "created_at", "created", "updated", "rejected"]
    list_filter = ["status"]
    list_select_related = ["feed"]
    inlines = [ImportRowErrorInline]


@admin.register(OpportunityOccupation)
class OpportunityOccupationAdmin(ReadOnlyMixin, PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["occupation", "desk", "kind", "sector", "is_published"]
    list_filter = ["kind", "sector"]
    list_select_related = ["occupation", "desk"]
