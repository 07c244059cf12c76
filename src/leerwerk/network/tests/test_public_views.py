"""The public pages: the home page with "Welk loket is van mij?" and the page of each desk."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from leerwerk.network.constants import HoursKind
from leerwerk.network.models import Desk
from leerwerk.network.tests.factories import DeskFactory, LocationFactory, OpeningHoursFactory

pytestmark = pytest.mark.django_db

HOME = "/"


def desk_url(desk: Desk) -> str:
    return reverse("public:desk_detail", kwargs={"slug": desk.slug})


def results_region(html: str) -> str:
    """The inner HTML of the live search-results region of the home page."""
    match = re.search(r'<div id="zoekresultaten"[^>]*>(.*?)</div>\s*</section>', html, re.S)
    assert match, "results region not found"
    return match.group(1)


# -- home: the list of all desks -------------------------------------------------------------


def test_home_lists_every_published_desk_with_its_region_and_link(client):
    # given the reference data: one published desk per labour-market region
    desks = list(Desk.objects.published().select_related("region"))
    assert len(desks) == 35

    # when
    response = client.get(HOME)

    # then every desk is listed by name, with its region and a link to its page
    assert response.status_code == 200
    html = response.content.decode()
    for desk in desks:
        assert desk.display_name in html
        assert f'href="{desk_url(desk)}"' in html
        assert f"regio {desk.region.name}" in html
    assert "Er zijn 35 leerwerkloketten" in html


def test_home_does_not_list_an_unpublished_desk(client):
    # given
    hidden = DeskFactory(display_name="Verborgen Testloket", is_published=False)

    # when
    html = client.get(HOME).content.decode()

    # then
    assert "Verborgen Testloket" not in html
    assert desk_url(hidden) not in html


def test_home_has_search_form_that_works_without_javascript(client):
    # when
    html = client.get(HOME).content.decode()

    # then the form is a plain GET form with one field "q", enhanced with htmx
    assert 'method="get"' in html
    assert 'name="q"' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'hx-target="#zoekresultaten"' in html
    assert 'hx-push-url="true"' in html
    assert '<div id="zoekresultaten" class="lw-search__results" aria-live="polite">' in html
    # and without a query there is no result and no message yet
    assert results_region(html).strip() == ""


@pytest.mark.parametrize(
    ("query", "desk_code", "reason"),
    [
        ("3011", "AM22", "Postcode 3011 ligt in de gemeente Rotterdam, regio Rijnmond."),
        ("3511 AB", "AM13", "Postcode 3511 ligt in de gemeente Utrecht, regio Midden-Utrecht."),
        ("Schiedam", "AM22", "De gemeente Schiedam hoort bij regio Rijnmond."),
        ("groningen", "AM01", "De gemeente Groningen hoort bij regio Groningen."),
    ],
)
def test_home_search_shows_the_matching_desk_with_reason(client, query, desk_code, reason):
    # given
    desk = Desk.objects.get(region__code=desk_code)

    # when
    response = client.get(HOME, {"q": query})

    # then the results region names the desk, links to it and says why
    assert response.status_code == 200
    region = results_region(response.content.decode())
    assert desk.display_name in region
    assert f'href="{desk_url(desk)}"' in region
    assert reason in region
    # and the field keeps what was typed
    assert f'value="{query}"' in response.content.decode()


def test_home_search_for_unknown_place_explains_what_to_do(client):
    # when
    response = client.get(HOME, {"q": "Atlantis"})

    # then
    region = results_region(response.content.decode())
    assert "Geen loket gevonden voor &#x27;Atlantis&#x27;" in region
    assert "postcode (4 cijfers)" in region
    assert "<li" not in region
    # and the list of all desks is still there to choose from
    assert "Er zijn 35 leerwerkloketten" in response.content.decode()


def test_home_search_for_special_postcode_names_it(client):
    # when
    response = client.get(HOME, {"q": "0010"})

    # then
    region = results_region(response.content.decode())
    assert "woonachtig in België" in region


def test_home_search_escapes_the_query(client):
    # when
    response = client.get(HOME, {"q": "<b>Atlantis</b>"})

    # then
    html = response.content.decode()
    assert "<b>Atlantis</b>" not in html
    assert "&lt;b&gt;Atlantis&lt;/b&gt;" in html


def test_home_htmx_request_returns_only_the_results_partial(client):
    # given
    desk = Desk.objects.get(region__code="AM22")

    # when
    response = client.get(HOME, {"q": "3011"}, headers={"HX-Request": "true"})

    # then only the results come back, not the page around them
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="zoekresultaten"' not in html
    assert "Alle leerwerkloketten" not in html
    assert desk.display_name in html
    assert "Postcode 3011 ligt in de gemeente Rotterdam" in html
    # and the new page title for the browser history
    assert "<title>Zoeken naar ‘3011’ – " in html
    # and caches keep the partial apart from the full page
    assert "HX-Request" in response.headers["Vary"]


def test_home_htmx_request_with_empty_query_returns_empty_partial(client):
    # when
    response = client.get(HOME, {"q": "  "}, headers={"HX-Request": "true"})

    # then there is nothing to show but the page title
    html = response.content.decode()
    assert response.status_code == 200
    assert re.sub(r"<title>.*?</title>", "", html, flags=re.S).strip() == ""


def test_home_htmx_history_restore_gets_the_whole_page(client):
    # when htmx restores a page from history it needs the full document
    response = client.get(
        HOME,
        {"q": "3011"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    # then
    html = response.content.decode()
    assert "<html" in html
    assert "Postcode 3011 ligt in de gemeente Rotterdam" in results_region(html)


def test_home_refuses_post(client):
    assert client.post(HOME, {"q": "3011"}).status_code == 405


@pytest.mark.parametrize("query", ["", "3011", "Schiedam", "Atlantis"])
def test_home_query_count_is_bounded(client, django_assert_max_num_queries, query):
    # the list is one query; a search adds two (postcode or municipalities, then desks)
    with django_assert_max_num_queries(3):
        response = client.get(HOME, {"q": query} if query else {})
    assert response.status_code == 200


# -- desk page -------------------------------------------------------------------------------


@pytest.fixture
def location_a(desk_a):
    location = LocationFactory(
        desk=desk_a,
        name="Leerwerkloket Rotterdam Centrum",
        street="Coolsingel",
        house_number="40",
        postcode="3011 AD",
        city="Rotterdam",
        accessibility_notes="Rolstoeltoegankelijk. Lift naar de eerste verdieping.\nRingleiding aanwezig.",
    )
    for weekday in (0, 2):
        OpeningHoursFactory(
            location=location,
            kind=HoursKind.OPENING,
            weekday=weekday,
            opens=datetime.time(9, 0),
            closes=datetime.time(17, 0),
        )
    OpeningHoursFactory(
        location=location,
        kind=HoursKind.WALK_IN,
        weekday=1,
        opens=datetime.time(13, 0),
        closes=datetime.time(15, 30),
    )
    OpeningHoursFactory(
        location=location,
        kind=HoursKind.WALK_IN,
        weekday=1,
        opens=datetime.time(9, 30),
        closes=datetime.time(12, 0),
        note="Zonder afspraak",
    )
    return location


def test_desk_page_shows_location_address_hours_and_accessibility(client, desk_a, location_a):
    # when
    response = client.get(desk_url(desk_a))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="utrecht-heading-1">Leerwerkloket Rijnmond</h1>' in html
    assert "Leerwerkloket Rotterdam Centrum" in html
    assert "Coolsingel 40" in html
    assert "3011 AD Rotterdam" in html
    # accessibility notes, line breaks kept
    assert "Rolstoeltoegankelijk. Lift naar de eerste verdieping.<br>Ringleiding aanwezig." in html
    # opening hours and walk-in hours are separate tables, Dutch weekdays, times as 09:30–12:00
    assert '<caption class="utrecht-table__caption">Openingstijden</caption>' in html
    assert '<caption class="utrecht-table__caption">Inloopspreekuur</caption>' in html
    assert html.index("Openingstijden</caption>") < html.index("Inloopspreekuur</caption>")
    walk_in = html[html.index("Inloopspreekuur</caption>") :]
    assert re.search(r">Dinsdag</th>\s*<td[^>]*>\s*09:30–12:00, 13:00–15:30", walk_in)
    assert "Zonder afspraak" in walk_in
    opening = html[html.index("Openingstijden</caption>") : html.index("Inloopspreekuur</caption>")]
    assert ">Maandag</th>" in opening
    assert ">Woensdag</th>" in opening
    assert "09:00–17:00" in opening
    assert ">Dinsdag</th>" not in opening


def test_desk_page_shows_contact_links_and_service_lines(client, desk_a):
    # given
    Desk.objects.filter(pk=desk_a.pk).update(
        email="info@rijnmond.example.test", phone="010 123 45 67"
    )

    # when
    html = client.get(desk_url(desk_a)).content.decode()

    # then
    assert 'href="mailto:info@rijnmond.example.test"' in html
    assert 'href="tel:0101234567"' in html
    for line in desk_a.service_lines.all():
        assert line.name in html


def test_desk_page_lists_the_municipalities_of_the_region(client, desk_a):
    # when
    html = client.get(desk_url(desk_a)).content.decode()

    # then every municipality of Rijnmond is named
    names = list(desk_a.region.municipalities.values_list("name", flat=True))
    assert "Schiedam" in names
    for name in names:
        assert f"<li>{name}</li>" in html
    assert f"inwoners van {len(names)} gemeenten" in html


def test_desk_page_without_locations_says_how_to_get_in_touch(client, desk_b):
    # given a desk with an e-mail address but no locations yet
    Desk.objects.filter(pk=desk_b.pk).update(email="info@groningen.example.test")

    # when
    html = client.get(desk_url(desk_b)).content.decode()

    # then
    assert "Dit loket heeft nog geen vestigingen op de website gezet." in html
    assert "Neem contact op via" in html
    assert 'href="mailto:info@groningen.example.test"' in html
    assert "<table" not in html


def test_desk_page_hides_a_location_that_is_not_public(client, desk_a, location_a):
    # given
    LocationFactory(desk=desk_a, name="Interne werkplek Kralingen", is_public=False)

    # when
    html = client.get(desk_url(desk_a)).content.decode()

    # then
    assert "Leerwerkloket Rotterdam Centrum" in html
    assert "Interne werkplek Kralingen" not in html


def test_unpublished_desk_page_is_not_found(client):
    # given
    desk = DeskFactory(display_name="Verborgen Testloket", is_published=False)

    # when
    response = client.get(desk_url(desk))

    # then
    assert response.status_code == 404
    assert "Verborgen Testloket" not in response.content.decode()
    assert "Pagina niet gevonden" in response.content.decode()


def test_unknown_desk_page_is_not_found(client):
    response = client.get("/loketten/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_desk_page_escapes_markup_in_texts(client, desk_a):
    # given texts typed by desk staff that contain markup
    Desk.objects.filter(pk=desk_a.pk).update(
        introduction='Welkom!<script>alert("x")</script> <a href="https://evil.example">klik</a>'
    )
    LocationFactory(desk=desk_a, name="<i>Vestiging</i>", accessibility_notes="<b>lift</b>")

    # when
    html = client.get(desk_url(desk_a)).content.decode()

    # then nothing is interpreted as HTML
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'href="https://evil.example"' not in html
    assert "<i>Vestiging</i>" not in html
    assert "&lt;i&gt;Vestiging&lt;/i&gt;" in html
    assert "&lt;b&gt;lift&lt;/b&gt;" in html


def test_desk_page_query_count_does_not_grow_with_locations(
    client, desk_a, location_a, django_assert_max_num_queries
):
    # given more locations, each with hours
    for _ in range(4):
        OpeningHoursFactory(location=LocationFactory(desk=desk_a))

    # when / then: desk, locations, hours, service lines, municipalities; and for the regional
    # home (portal): content blocks, portal settings, team, the waiting time (three counts,
    # computed because the cache is empty) and the next activities
    cache.clear()
    with django_assert_max_num_queries(12):
        response = client.get(desk_url(desk_a))
    assert response.status_code == 200
    assert response.content.decode().count('class="lw-card lw-location"') == 5


def test_desk_page_refuses_post(client, desk_a):
    assert client.post(desk_url(desk_a)).status_code == 405
