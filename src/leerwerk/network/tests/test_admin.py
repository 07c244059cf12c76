"""The Django admin (/beheer/): administrators only, on the models' policies and services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from leerwerk.accounts.models import ApiToken, User
from leerwerk.accounts.services import api_token_create
from leerwerk.core.audit import audit_record
from leerwerk.core.models import AuditEvent
from leerwerk.network.models import Desk, Location, StaffMembership
from leerwerk.network.tests.factories import (
    DeskPartnershipFactory,
    LocationFactory,
    OpeningHoursFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _url(model: type, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def one_of_each(admin_user, adviser_a, desk_a):  # type: ignore[no-untyped-def]
    """At least one object of every registered model."""
    location = LocationFactory(desk=desk_a)
    OpeningHoursFactory(location=location)
    DeskPartnershipFactory(desk=desk_a, partner=PartnerFactory(name="Albeda"))
    api_token_create(user=adviser_a, name="koppeling")
    audit_record(actor=admin_user, action="test.event", obj=desk_a, desk_id=desk_a.pk)
    from leerwerk.catalogue.tests.factories import one_of_each_for_admin

    one_of_each_for_admin(desk_a)
    from leerwerk.portal.models import SiteDomain

    SiteDomain.objects.create(desk=desk_a, host="www.voorbeeld.example")
    import uuid

    from leerwerk.catalogue.tasks import process_import

    process_import.enqueue(str(uuid.uuid4()))  # a row in the task queue (ids only)


@pytest.fixture
def admin_client(client_for, admin_user):  # type: ignore[no-untyped-def]
    return client_for(admin_user)


def _value(field: Any) -> Any:
    value = field.value()
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [getattr(item, "pk", item) for item in value]
    return getattr(value, "pk", value)


def _form_data(response: Any) -> dict[str, Any]:
    """The POST data of an admin change form as the browser would send it unchanged."""
    data: dict[str, Any] = {}

    def add_form(form: Any) -> None:
        for name, field in form.fields.items():
            value = _value(form[name])
            if isinstance(field.widget, forms.CheckboxInput):
                if value:  # an unticked box is not sent at all
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = value

    add_form(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for form in formset.forms:
            add_form(form)
    return data


# -- who gets in -------------------------------------------------------------------------------


def test_group_admin_is_not_used():
    assert Group not in admin.site._registry


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_administrator_opens_changelist_and_change_page_of_every_model(
    admin_client, one_of_each, model
):
    changelist = admin_client.get(_url(model, "changelist"))
    obj = model._default_manager.order_by("pk").first()
    change = admin_client.get(_url(model, "change", obj.pk))

    assert changelist.status_code == 200
    assert change.status_code == 200
    assert str(model._meta.verbose_name).lower().encode() in changelist.content.lower()


@pytest.mark.parametrize(
    "user_fixture", ["adviser_a", "manager_a", "national_user", "ministry_user"]
)
@pytest.mark.parametrize("path", ["/beheer/", "/beheer/network/desk/", "/beheer/accounts/user/"])
def test_everyone_but_administrators_is_sent_to_the_admin_login(
    request, client_for, user_fixture, path
):
    client = client_for(request.getfixturevalue(user_fixture))

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/beheer/login/")


def test_admin_index_lists_the_models(admin_client):
    response = admin_client.get("/beheer/")

    assert response.status_code == 200
    assert b"loketten" in response.content.lower()
    assert b"lidmaatschappen" in response.content.lower()


def test_superuser_without_a_global_role_gets_in(client_for):
    superuser = User.objects.create_superuser("super@example.test", "lang-en-geheim-123")

    assert client_for(superuser).get("/beheer/").status_code == 200


def test_audit_log_is_read_only_even_for_administrators(admin_client, one_of_each):
    event = AuditEvent.objects.first()

    assert admin_client.get(_url(AuditEvent, "add")).status_code == 403
    assert (
        admin_client.post(_url(AuditEvent, "delete", event.pk), {"post": "yes"}).status_code == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# -- audit of personal data -------------------------------------------------------------------


def test_administrator_viewing_a_membership_is_audited(admin_client, admin_user, adviser_a):
    membership = adviser_a.memberships.get()

    response = admin_client.get(_url(StaffMembership, "change", membership.pk))

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="admin.view", object_uuid=membership.uuid)
    assert event.actor == admin_user
    assert event.object_type == "network.staffmembership"
    assert event.desk_id == membership.desk_id


def test_administrator_viewing_a_user_is_audited(admin_client, adviser_a):
    admin_client.get(_url(User, "change", adviser_a.pk))

    assert AuditEvent.objects.filter(action="admin.view", object_uuid=adviser_a.uuid).count() == 1


def test_opening_a_desk_is_not_a_personal_data_view(admin_client, desk_a):
    admin_client.get(_url(Desk, "change", desk_a.pk))

    assert not AuditEvent.objects.filter(action="admin.view").exists()


# -- saves go through the services ------------------------------------------------------------


def test_desk_change_in_the_admin_goes_through_the_service(admin_client, desk_a):
    page = admin_client.get(_url(Desk, "change", desk_a.pk))
    data = _form_data(page)
    data["display_name"] = "Werkcentrum Rijnmond"
    data["organisation_kind"] = "werkcentrum"

    response = admin_client.post(_url(Desk, "change", desk_a.pk), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    desk_a.refresh_from_db()
    assert desk_a.display_name == "Werkcentrum Rijnmond"
    assert desk_a.version == 2
    assert AuditEvent.objects.filter(action="desk.update", object_uuid=desk_a.uuid).exists()


def test_desk_change_on_a_stale_page_is_refused_with_a_message(admin_client, desk_a):
    page = admin_client.get(_url(Desk, "change", desk_a.pk))
    data = _form_data(page)
    Desk.objects.filter(pk=desk_a.pk).update(version=5)  # someone else saved meanwhile
    data["display_name"] = "Te laat"

    response = admin_client.post(_url(Desk, "change", desk_a.pk), data)

    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(m.startswith("Iemand anders heeft dit intussen gewijzigd.") for m in messages)
    desk_a.refresh_from_db()
    assert desk_a.display_name == "Leerwerkloket Rijnmond"


def test_location_inline_on_the_desk_page_is_saved_by_the_service(admin_client, desk_a):
    location = LocationFactory(desk=desk_a, postcode="3011 AA")
    page = admin_client.get(_url(Desk, "change", desk_a.pk))
    data = _form_data(page)
    data["locations-0-postcode"] = "3112dm"
    data["locations-0-city"] = "Schiedam"

    response = admin_client.post(_url(Desk, "change", desk_a.pk), data)

    assert response.status_code == 302
    location.refresh_from_db()
    assert location.postcode == "3112 DM"
    assert location.municipality.name == "Schiedam"
    assert location.version == 2


def test_location_added_in_the_admin_gets_its_municipality_and_hours(admin_client, desk_a):
    data = {
        "desk": desk_a.pk,
        "name": "Vestiging Schiedam",
        "street": "Stadserf",
        "house_number": "1",
        "postcode": "3112 DM",
        "city": "Schiedam",
        "is_public": "on",
        "version": 1,
        "hours-TOTAL_FORMS": 1,
        "hours-INITIAL_FORMS": 0,
        "hours-MIN_NUM_FORMS": 0,
        "hours-MAX_NUM_FORMS": 1000,
        "hours-0-kind": "walk_in",
        "hours-0-weekday": 2,
        "hours-0-opens": "13:00",
        "hours-0-closes": "16:00",
    }

    response = admin_client.post(_url(Location, "add"), data)

    assert response.status_code == 302
    location = Location.objects.get(name="Vestiging Schiedam")
    assert location.municipality.name == "Schiedam"
    assert list(location.hours.values_list("weekday", flat=True)) == [2]
    assert AuditEvent.objects.filter(action="location.create", object_uuid=location.uuid).exists()


def test_location_with_an_unknown_postcode_is_not_saved(admin_client, desk_a):
    data = {
        "desk": desk_a.pk,
        "name": "Nergens",
        "street": "Geenstraat",
        "house_number": "1",
        "postcode": "1000 AA",
        "city": "Nergens",
        "version": 1,
        "hours-TOTAL_FORMS": 0,
        "hours-INITIAL_FORMS": 0,
        "hours-MIN_NUM_FORMS": 0,
        "hours-MAX_NUM_FORMS": 1000,
    }

    response = admin_client.post(_url(Location, "add"), data)

    assert response.status_code == 302
    assert not Location.objects.filter(name="Nergens").exists()
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Deze postcode kennen we niet. Controleer de postcode." in messages


def test_membership_change_in_the_admin_goes_through_the_service(admin_client, adviser_a):
    membership = adviser_a.memberships.get()
    page = admin_client.get(_url(StaffMembership, "change", membership.pk))
    data = _form_data(page)
    data["fte"] = "0.90"

    response = admin_client.post(_url(StaffMembership, "change", membership.pk), data)

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.fte == Decimal("0.90")
    assert membership.version == 2
    assert AuditEvent.objects.filter(
        action="membership.update", object_uuid=membership.uuid
    ).exists()


def test_membership_with_fte_above_one_shows_a_dutch_form_error(admin_client, adviser_a):
    membership = adviser_a.memberships.get()
    page = admin_client.get(_url(StaffMembership, "change", membership.pk))
    data = _form_data(page)
    data["fte"] = "2"

    response = admin_client.post(_url(StaffMembership, "change", membership.pk), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["fte"] == [
        "Zorg ervoor dat deze waarde hoogstens 1.00 is."
    ]
    membership.refresh_from_db()
    assert membership.fte == Decimal("0.60")


def test_user_is_added_with_an_email_address_and_no_username(admin_client):
    response = admin_client.post(
        _url(User, "add"),
        {
            "email": "Nieuwe.Beheerder@Example.test",
            "name": "Nieuwe Beheerder",
            "global_role": "administrator",
            "usable_password": "false",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="nieuwe.beheerder@example.test")
    assert not user.has_usable_password()
    assert user.is_staff


def test_password_is_set_with_the_admin_password_form(admin_client, adviser_a):
    url = reverse("admin:auth_user_password_change", args=[adviser_a.pk])

    response = admin_client.post(
        url,
        {"password1": "een-lang-nieuw-wachtwoord-7", "password2": "een-lang-nieuw-wachtwoord-7"},
    )

    assert response.status_code == 302
    adviser_a.refresh_from_db()
    assert adviser_a.check_password("een-lang-nieuw-wachtwoord-7")


# -- API tokens --------------------------------------------------------------------------------


def test_new_token_in_the_admin_is_shown_once_and_only_its_hash_is_kept(admin_client, adviser_a):
    response = admin_client.post(
        _url(ApiToken, "add"), {"user": adviser_a.pk, "name": "Koppeling CRM"}, follow=True
    )

    messages = [str(m) for m in response.context["messages"]]
    shown = [m for m in messages if m.startswith("Het nieuwe token is: ")]
    assert len(shown) == 1
    raw = shown[0].removeprefix("Het nieuwe token is: ").split(" ")[0]
    token = ApiToken.objects.get(name="Koppeling CRM")
    assert token.digest == ApiToken.digest_of(raw)
    # the change page shows the digest, never the token
    page = admin_client.get(_url(ApiToken, "change", token.pk))
    assert raw.encode() not in page.content
    assert token.digest.encode() in page.content


def test_revoke_action_revokes_selected_tokens(admin_client, adviser_a):
    token, raw = api_token_create(user=adviser_a, name="koppeling")

    response = admin_client.post(
        _url(ApiToken, "changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_membership_added_in_the_admin_goes_through_the_service(admin_client, desk_a, adviser_b):
    data = {
        "user": adviser_b.pk,
        "desk": desk_a.pk,
        "role": "adviser",
        "fte": "0.40",
        "start_date": "2026-01-01",
        "version": 1,
    }

    response = admin_client.post(_url(StaffMembership, "add"), data)

    assert response.status_code == 302
    membership = StaffMembership.objects.get(user=adviser_b, desk=desk_a)
    assert AuditEvent.objects.filter(
        action="membership.create", object_uuid=membership.uuid
    ).exists()


def test_overlapping_membership_in_the_admin_is_refused_with_the_service_message(
    admin_client, desk_a, adviser_a
):
    data = {
        "user": adviser_a.pk,
        "desk": desk_a.pk,
        "role": "desk_manager",
        "fte": "0.40",
        "start_date": "2020-01-01",
        "version": 1,
    }

    response = admin_client.post(_url(StaffMembership, "add"), data)

    assert response.status_code == 302
    assert StaffMembership.objects.filter(user=adviser_a).count() == 1
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("al een lidmaatschap bij dit loket" in m for m in messages)
