"""The regional training matrix (scholingsmatrix): structure, staff and public pages, exports."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from leerwerk.catalogue import selectors, services
from leerwerk.catalogue.constants import Level, OpportunityKind
from leerwerk.catalogue.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix_data(desk_a, manager_a):  # type: ignore[no-untyped-def]
    nurse = services.opportunity_save(
        actor=manager_a,
        desk=desk_a,
        occupation=factories.occupation("verpleegkundige", "2221.1"),
        sector="care",
        kind=OpportunityKind.SHORTAGE,
    )
    services.route_add(
        actor=manager_a,
        opportunity=nurse,
        qualification=factories.qualification("25655", "Mbo-Verpleegkundige", 4),
    )
    services.route_add(
        actor=manager_a,
        opportunity=nurse,
        offer=factories.offer(
            "HBO-Verpleegkunde", level=Level.BACHELOR, provider="Hogeschool Rotterdam"
        ),
    )
    services.opportunity_save(
        actor=manager_a,
        desk=desk_a,
        occupation=factories.occupation('=HYPERLINK("x") monteur', "7411.1"),
        sector="construction",
        note="<script>alert(1)</script>",
    )
    services.opportunity_save(
        actor=manager_a,
        desk=desk_a,
        occupation=factories.occupation("geheim beroep", "9999.1"),
        sector="care",
        is_published=False,
    )
    return nurse


def test_matrix_groups_by_sector_and_route_level(
    desk_a, matrix_data, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(3):
        matrix = selectors.matrix_for(desk_a, published_only=True)

    assert [value for value, _label in matrix.columns] == [
        Level.MBO_4,
        Level.BACHELOR,
        selectors.NO_ROUTE,
    ]
    assert [row.label for row in matrix.rows] == ["Bouw", "Zorg en welzijn"]
    care = matrix.rows[1]
    assert [[e.opportunity.occupation.label for e in cell] for cell in care.cells] == [
        ["verpleegkundige"],
        ["verpleegkundige"],
        [],
    ]
    assert matrix.opportunity_count == 2  # the unpublished one is left out
    assert selectors.matrix_for(desk_a, published_only=False).opportunity_count == 3


def test_public_page_shows_published_occupations_escaped(client, desk_a, matrix_data):  # type: ignore[no-untyped-def]
    response = client.get(reverse("catalogue_public:matrix", args=[desk_a.slug]))

    assert response.status_code == 200
    assert "verpleegkundige" in response.text
    assert "Hogeschool Rotterdam" in response.text
    assert "Mbo-Verpleegkundige (crebo 25655)" in response.text
    assert "geheim beroep" not in response.text
    assert "<script>alert(1)</script>" not in response.text


def test_public_page_of_unknown_or_unpublished_desk_is_404(client, desk_a):  # type: ignore[no-untyped-def]
    assert client.get(reverse("catalogue_public:matrix", args=["bestaat-niet"])).status_code == 404
    desk_a.is_published = False
    desk_a.save(update_fields=["is_published"])
    assert client.get(reverse("catalogue_public:matrix", args=[desk_a.slug])).status_code == 404


def test_empty_matrix_says_so(client, desk_b):  # type: ignore[no-untyped-def]
    response = client.get(reverse("catalogue_public:matrix", args=[desk_b.slug]))

    assert "nog geen kansberoepen" in response.text


def test_csv_export_is_safe_for_spreadsheets(client, desk_a, matrix_data):  # type: ignore[no-untyped-def]
    response = client.get(
        reverse("catalogue_public:matrix", args=[desk_a.slug]), {"formaat": "csv"}
    )

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Sector;Niveau;Beroep;Soort;ESCO-code;Opleidingsroutes;Toelichting"
    assert any(
        line.startswith("Zorg en welzijn;Mbo niveau 4;verpleegkundige;Tekortberoep")
        for line in lines
    )
    assert any(line.startswith("Bouw;Nog geen route;\"'=HYPERLINK") for line in lines)
    assert "geheim beroep" not in response.content.decode("utf-8-sig")


def test_xlsx_export_of_the_staff_matrix_includes_unpublished(
    client_for, manager_a, desk_a, matrix_data
):  # type: ignore[no-untyped-def]
    response = client_for(manager_a).get(
        reverse("catalogue:matrix", args=[desk_a.uuid]), {"formaat": "xlsx"}
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Sector", "Niveau", "Beroep")
    occupations = {row[2] for row in rows[1:]}
    assert occupations == {"verpleegkundige", '\'=HYPERLINK("x") monteur', "geheim beroep"}


def test_staff_matrix_page(client_for, adviser_a, desk_a, matrix_data):  # type: ignore[no-untyped-def]
    response = client_for(adviser_a).get(reverse("catalogue:matrix", args=[desk_a.uuid]))

    assert response.status_code == 200
    assert reverse("catalogue:opportunity_detail", args=[matrix_data.uuid]) in response.text
    assert "geheim beroep" in response.text
