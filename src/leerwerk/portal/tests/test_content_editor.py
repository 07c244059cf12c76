"""The desk manager's editor for the regional home's texts and settings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from leerwerk.core.constants import DeskRole
from leerwerk.core.exceptions import ConflictError
from leerwerk.core.models import AuditEvent
from leerwerk.network.tests.factories import StaffMembershipFactory
from leerwerk.portal import services
from leerwerk.portal.constants import ContentSlot
from leerwerk.portal.models import ContentBlock, DeskPortalSettings

pytestmark = pytest.mark.django_db


def _edit_url(desk, slot=ContentSlot.OFFER):  # type: ignore[no-untyped-def]
    return reverse("portal_staff:block_edit", args=[desk.uuid, slot])


def test_manager_previews_without_saving_then_saves(client_for, manager_a, desk_a):
    client = client_for(manager_a)
    data = {"title": "Ons aanbod", "body": "- Loopbaanadvies\n- **Scholing**", "is_published": "on"}

    preview = client.post(_edit_url(desk_a), {**data, "voorbeeld": "1"})
    assert preview.status_code == 200
    assert "<li><strong>Scholing</strong></li>" in preview.content.decode()
    assert not ContentBlock.objects.exists()

    saved = client.post(_edit_url(desk_a), {**data, "opslaan": "1"})
    assert saved.status_code == 302
    block = ContentBlock.objects.get(desk=desk_a, slot=ContentSlot.OFFER)
    assert block.is_published and block.version == 1
    assert "<strong>Scholing</strong>" in block.body_html
    assert AuditEvent.objects.filter(action="content_block.create", desk=desk_a).exists()


def test_a_stale_edit_gets_the_conflict_message_and_changes_nothing(client_for, manager_a, desk_a):
    block = services.content_block_save(
        actor=manager_a,
        desk=desk_a,
        slot=ContentSlot.OFFER,
        title="",
        body="Eerste",
        is_published=True,
        expected_version=None,
    )
    services.content_block_save(
        actor=manager_a,
        desk=desk_a,
        slot=ContentSlot.OFFER,
        title="",
        body="Tweede",
        is_published=True,
        expected_version=block.version,
    )
    response = client_for(manager_a).post(
        _edit_url(desk_a), {"body": "Derde", "version": str(block.version), "opslaan": "1"}
    )
    assert response.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in response.content.decode()
    assert ContentBlock.objects.get(desk=desk_a).body == "Tweede"


def test_service_refuses_a_stale_version(manager_a, desk_a):
    services.content_block_save(
        actor=manager_a,
        desk=desk_a,
        slot=ContentSlot.CONTACT,
        title="",
        body="a",
        is_published=False,
        expected_version=None,
    )
    with pytest.raises(ConflictError):
        services.content_block_save(
            actor=manager_a,
            desk=desk_a,
            slot=ContentSlot.CONTACT,
            title="",
            body="b",
            is_published=False,
            expected_version=None,
        )


def test_adviser_sees_overview_but_may_not_edit(client_for, adviser_a, desk_a):
    client = client_for(adviser_a)
    assert client.get(reverse("portal_staff:overview", args=[desk_a.uuid])).status_code == 200
    assert client.get(_edit_url(desk_a)).status_code == 403
    assert client.post(_edit_url(desk_a), {"body": "x", "opslaan": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.content_block_save(
            actor=adviser_a,
            desk=desk_a,
            slot=ContentSlot.OFFER,
            title="",
            body="x",
            is_published=True,
            expected_version=None,
        )


@pytest.mark.parametrize(
    "name",
    [
        "portal_staff:overview",
        "portal_staff:settings_edit",
        "portal_staff:visits",
        "portal_staff:shares",
    ],
)
def test_another_desk_gets_404(client_for, manager_b, desk_a, name):
    assert client_for(manager_b).get(reverse(name, args=[desk_a.uuid])).status_code == 404


def test_another_desk_gets_404_on_the_editor(client_for, manager_b, desk_a):
    assert client_for(manager_b).get(_edit_url(desk_a)).status_code == 404


def test_unknown_slot_is_404(client_for, manager_a, desk_a):
    assert client_for(manager_a).get(_edit_url(desk_a, "zijbalk")).status_code == 404


def test_anonymous_is_sent_to_log_in(client, desk_a):
    response = client.get(reverse("portal_staff:overview", args=[desk_a.uuid]))
    assert response.status_code == 302
    assert "/account/" in response["Location"]


def test_manager_saves_settings_and_the_waiting_cache_is_dropped(client_for, manager_a, desk_a):
    # given an adviser and a waiting time cached with the default norm (14 days)
    StaffMembershipFactory(desk=desk_a, role=DeskRole.ADVISER, fte=Decimal("1"))
    client = client_for(manager_a)
    overview = client.get(reverse("portal_staff:overview", args=[desk_a.uuid])).content.decode()
    assert "Norm: 14 dagen" in overview

    response = client.post(
        reverse("portal_staff:settings_edit", args=[desk_a.uuid]),
        {"norm_days": "10", "intakes_per_fte_week": "3,5", "show_staff_names": "on"},
    )
    assert response.status_code == 302
    row = DeskPortalSettings.objects.get(desk=desk_a)
    assert (row.norm_days, row.intakes_per_fte_week, row.show_staff_names) == (
        10,
        Decimal("3.5"),
        True,
    )
    overview = client.get(reverse("portal_staff:overview", args=[desk_a.uuid])).content.decode()
    assert "Norm: 10 dagen" in overview


@pytest.mark.parametrize(("field", "value"), [("norm_days", "0"), ("intakes_per_fte_week", "0")])
def test_settings_reject_values_out_of_range(client_for, manager_a, desk_a, field, value):
    data = {"norm_days": "10", "intakes_per_fte_week": "4", field: value}
    response = client_for(manager_a).post(
        reverse("portal_staff:settings_edit", args=[desk_a.uuid]), data
    )
    assert response.status_code == 200
    assert not DeskPortalSettings.objects.exists()


def test_staff_desk_navigation_links_to_the_website_pages(client_for, manager_a, desk_a):
    html = (
        client_for(manager_a).get(reverse("staff:desk_detail", args=[desk_a.uuid])).content.decode()
    )
    assert reverse("portal_staff:overview", args=[desk_a.uuid]) in html
