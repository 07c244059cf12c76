"""Admin for the portal: administrators add a desk's own domain here (DNS and ALLOWED_HOSTS
are technical work); saves go through ``portal.services``. Content blocks and settings are
edited on the staff pages; visit counts are read on the staff pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from leerwerk.core.admin import PolicyAdminMixin, ServiceErrorsAdminMixin
from leerwerk.portal import services
from leerwerk.portal.models import SiteDomain


class SiteDomainForm(forms.ModelForm):
    class Meta:
        model = SiteDomain
        fields = ["desk", "host", "is_active"]

    def clean_host(self) -> str:
        return str(self.cleaned_data["host"]).strip().lower().rstrip(".")


@admin.register(SiteDomain)
class SiteDomainAdmin(ServiceErrorsAdminMixin, PolicyAdminMixin, admin.ModelAdmin):
    form = SiteDomainForm
    list_display = ["host", "desk", "is_active"]
    list_select_related = ["desk"]
    search_fields = ["host", "desk__display_name"]
    fields = ["desk", "host", "is_active"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.site_domain_save(actor=request.user, domain=obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.site_domain_delete(actor=request.user, domain=obj)
