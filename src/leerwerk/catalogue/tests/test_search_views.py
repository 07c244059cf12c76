"""The search pages through HTTP: citizens, regional, advisers, the offer page, saving an offer
to a trajectory (scoped per desk, audited) and the API."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leerwerk.catalogue import geo
from leerwerk.catalogue.constants import CurationStatus, Level, OfferKind
from leerwerk.catalogue.models import OfferCuration, SavedOffer
from leerwerk.catalogue.search import search_words_refresh
from leerwerk.catalogue.tests.factories_search import make_offer
from leerwerk.clients.tests.factories import ClientFactory
from leerwerk.core.models import AuditEvent
from leerwerk.guidance.constants import Outcome, TrajectoryStatus
from leerwerk.guidance.tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

PUBLIC = "/opleidingen/"
STAFF = "/medewerkers/opleidingen/zoeken/"
API = "/api/v1/catalogue/offers/"


@pytest.fixture
def offers(db):  # type: ignore[no-untyped-def]
    geo.load_coordinates()
    found = {
        "nurse": make_offer(
            "Verpleegkundige",
            level=Level.MBO_4,
            kind=OfferKind.DIPLOMA,
            sector="care",
            municipality="GM0599",
            cost_amount=1200,
            starts=[timezone.localdate() + datetime.timedelta(days=30)],
            url="https://www.example.test/verpleegkundige",
        ),
        "hostile": make_offer(
            '<script>alert("x")</script>Beveiliger <b>vet</b>',
            description='Leer <img src=x onerror="alert(1)"> beveiligen.\nTweede regel.',
            provider_name="<i>Opleider</i> & Co",
            sector="business_services",
            municipality="GM0014",
            url="javascript:alert(1)",
        ),
        "forklift": make_offer(
            "Cursus heftruckchauffeur", sector="transport", municipality="GM0606"
        ),
    }
    search_words_refresh()
    return found


# -- citizen pages ---------------------------------------------------------------------------


def test_the_citizen_search_page_lists_offers_with_facets(client, offers):
    response = client.get(PUBLIC)
    assert response.status_code == 200
    body = response.content.decode()
    assert "3 opleidingen gevonden" in body
    assert 'aria-live="polite"' in body
    assert 'name="niveau" value="mbo_4"' in body
    assert "Verpleegkundige" in body


@pytest.mark.parametrize(
    "params",
    [
        "",
        "q=zorg&postcode=3011&afstand=25&niveau=mbo_4&start_vanaf=2026-12-01&online=on"
        "&sorteren=distance&max_duur=92&max_kosten=100",
        "q=zorg&postcode=abc&afstand=7&start_vanaf=morgen&max_kosten=-1&sorteren=random",
    ],
)
def test_the_search_form_renders_as_django_renders_it(offers, params):
    """The search form's widgets come from Django's Jinja2 widget templates (faster): the same
    HTML as the default renderer, with values, errors and their aria attributes."""
    import re

    from django.forms.renderers import DjangoTemplates
    from django.http import QueryDict

    from leerwerk.catalogue.forms_search import OfferSearchForm

    def rendered(form: OfferSearchForm) -> list[str]:
        form.is_valid()
        return [re.sub(r"\s+", " ", str(form[name])).replace("> <", "><") for name in form.fields]

    data = QueryDict(params) if params else None
    fast = OfferSearchForm(data)
    assert fast.renderer is OfferSearchForm().renderer  # one renderer: templates compiled once
    assert fast.renderer.__class__.__name__ == "Jinja2"
    default = rendered(OfferSearchForm(data, renderer=DjangoTemplates()))
    assert rendered(fast) == default
    if "abc" in params:
        assert 'aria-invalid="true"' in " ".join(default)


@pytest.mark.parametrize(
    "params",
    ["", "q=zorg&postcode=abc&afstand=7&start_vanaf=morgen&max_kosten=-1&online=on"],
)
def test_jinja_form_field_matches_django(offers, params):
    """The page's fields go through the Jinja2 twin of core/includes/form_field.html (decision
    0007): the same HTML as the Django include for every field of the search form — label,
    "(niet verplicht)", description, errors and their ids."""
    import re

    from django.http import QueryDict
    from django.template import engines
    from django.template.loader import render_to_string

    from leerwerk.catalogue.forms_search import OfferSearchForm

    def tidy(html: str) -> str:
        html = re.sub(r"\s+", " ", html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;"))
        return html.replace("> <", "><").strip()

    form = OfferSearchForm(QueryDict(params) if params else None)
    form.is_valid()
    macro = engines["jinja2"].env.get_template("core/form_field.html").module.form_field
    for name in form.fields:
        django_html = render_to_string("core/includes/form_field.html", {"field": form[name]})
        assert tidy(str(macro(form[name]))) == tidy(django_html), name
    if params:
        assert "utrecht-form-field--invalid" in str(macro(form["postcode"]))


def test_searching_with_filters_through_the_page(client, offers):
    response = client.get(PUBLIC, {"q": "verpleegkunde", "niveau": "mbo_4", "postcode": "3011"})
    body = response.content.decode()
    assert "1 opleiding gevonden" in body
    assert "ongeveer 0 km" in body
    assert "Cursus heftruckchauffeur" not in body


def test_htmx_gets_only_the_results_with_the_count_out_of_band(client, offers):
    response = client.get(PUBLIC, {"q": "heftruck"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="zoekgebied"' in body
    assert 'hx-swap-oob="innerHTML"' in body
    assert "1 opleiding gevonden" in body
    assert response.headers["Vary"].count("HX-Request") == 1


def test_a_typo_shows_what_was_searched_instead(client, offers):
    body = client.get(PUBLIC, {"q": "verplegkundige"}).content.decode()
    assert "We vonden niets voor ‘verplegkundige’" in body
    assert "1 opleiding gevonden" in body
    exact = client.get(PUBLIC, {"q": "verplegkundige", "zoek_precies": "1"}).content.decode()
    assert "Geen opleidingen gevonden" in exact


def test_no_results_suggest_dropping_a_filter(client, offers):
    body = client.get(PUBLIC, {"q": "heftruck", "niveau": "mbo_4"}).content.decode()
    assert "Geen opleidingen gevonden" in body
    assert "Zonder ‘Niveau’: 1 opleiding" in body
    assert "?q=heftruck" in body


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"postcode": "30"}, "postcode", "Vul een postcode in van vier cijfers"),
        ({"postcode": "0010"}, "postcode", "Deze postcode kennen we niet"),
        ({"gemeente": "Atlantis"}, "gemeente", "Deze gemeente kennen we niet"),
        ({"afstand": "10"}, "afstand", "Vul uw postcode of gemeente in om op afstand te zoeken"),
        ({"sorteren": "distance"}, "sorteren", "om op afstand te sorteren"),
        ({"max_kosten": "-5"}, "max_kosten", "minstens 0"),
        ({"niveau": "mbo_9"}, "niveau", "Selecteer een geldige keuze"),
        ({"start_vanaf": "2026-05-01", "start_tot": "2026-04-01"}, "start_tot", "vóór de datum"),
    ],
)
def test_bad_parameters_give_dutch_messages(client, offers, params, field, message):
    response = client.get(PUBLIC, params)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Controleer uw invoer" in body
    assert f'href="#id_{field}' in body


def test_markup_in_offers_is_escaped_everywhere(client, offers):
    hostile = offers["hostile"]
    for url in [PUBLIC, f"{PUBLIC}{hostile.uuid}/"]:
        body = client.get(url, {"q": "beveiliger"} if url == PUBLIC else {}).content.decode()
        # The results are Jinja2's (decision 0007), which writes a quote as &#34;, Django &quot;
        body = body.replace("&#34;", "&quot;")
        assert "<script>alert" not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;Beveiliger" in body
        assert "<i>Opleider</i>" not in body
        assert "&lt;i&gt;Opleider&lt;/i&gt; &amp; Co" in body
    detail = client.get(f"{PUBLIC}{hostile.uuid}/").content.decode()
    assert '<img src=x onerror="alert(1)">' not in detail
    assert "&lt;img src=x" in detail
    assert "Tweede regel" in detail
    assert "javascript:alert" not in detail  # not a link


def test_the_offer_page_shows_the_offer(client, offers):
    body = client.get(f"{PUBLIC}{offers['nurse'].uuid}/").content.decode()
    assert "Verpleegkundige" in body
    assert 'href="https://www.example.test/verpleegkundige"' in body
    assert "Mbo niveau 4" in body
    assert "Bewaren bij een traject" not in body  # citizens cannot save


def test_an_unknown_offer_is_404(client, offers):
    assert client.get(f"{PUBLIC}00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_regional_page_leaves_out_hidden_offers_and_features_others(client, offers, desk_a):
    OfferCuration.objects.create(desk=desk_a, offer=offers["nurse"], status=CurationStatus.HIDDEN)
    OfferCuration.objects.create(
        desk=desk_a, offer=offers["forklift"], status=CurationStatus.FEATURED
    )
    desk_a.is_published = True
    desk_a.save()
    body = client.get(f"/loketten/{desk_a.slug}/opleidingen/").content.decode()
    assert "2 opleidingen gevonden" in body
    assert "Verpleegkundige" not in body
    assert "Aanbevolen door het loket" in body
    assert client.get("/loketten/bestaat-niet/opleidingen/").status_code == 404
    empty = client.get(f"/loketten/{desk_a.slug}/opleidingen/", {"q": "zzqqxx", "zoek_precies": 1})
    assert "U kunt ook het loket om advies vragen" in empty.content.decode()


def test_the_public_search_needs_few_queries(client, offers, django_assert_max_num_queries):
    # PostgreSQL: three more for the search's transaction (planner settings; in a test the
    # transaction is a savepoint, created and released), two to keep and put back the test
    # transaction's planner settings (not in a request: its own transaction ends them)
    with django_assert_max_num_queries(13 if connection.vendor == "postgresql" else 8):
        response = client.get(
            PUBLIC,
            {"q": "verpleegkundige", "postcode": "3011", "afstand": "25", "sorteren": "distance"},
        )
    assert response.status_code == 200


# -- advisers --------------------------------------------------------------------------------


@pytest.fixture
def trajectory_a(adviser_a, desk_a):  # type: ignore[no-untyped-def]
    client = ClientFactory(desk=desk_a, given_name="Testa", family_name="Voorbeeld")
    return TrajectoryFactory(desk=desk_a, client=client)


def test_the_adviser_search_needs_a_login(client, offers):
    response = client.get(STAFF)
    assert response.status_code == 302


def test_the_adviser_searches_for_a_trajectory_and_saves_an_offer(
    client_for, adviser_a, trajectory_a, offers
):
    http = client_for(adviser_a)
    page = http.get(STAFF, {"traject": str(trajectory_a.uuid), "q": "verpleegkundige"})
    assert page.status_code == 200
    save_url = reverse("catalogue_search:offer_save", args=[offers["nurse"].uuid])
    assert f"{save_url}?traject={trajectory_a.uuid}" in page.content.decode()
    form = http.get(save_url, {"traject": str(trajectory_a.uuid)})
    assert "Bewaren bij het traject" in form.content.decode()
    response = http.post(save_url, {"traject": str(trajectory_a.uuid), "toelichting": "Past goed"})
    assert response.status_code == 302
    saved = SavedOffer.objects.get()
    assert (saved.trajectory, saved.offer, saved.desk, saved.note) == (
        trajectory_a,
        offers["nurse"],
        trajectory_a.desk,
        "Past goed",
    )
    assert AuditEvent.objects.filter(
        action="saved_offer.add", desk_id=trajectory_a.desk_id
    ).exists()
    # the trajectory page lists it
    detail = http.get(reverse("guidance:trajectory_detail", args=[trajectory_a.uuid]))
    assert "Bewaarde opleidingen" in detail.content.decode()
    assert "Past goed" in detail.content.decode()
    # saving twice is refused with a message
    again = http.post(save_url, {"traject": str(trajectory_a.uuid)})
    assert "al bewaard" in again.content.decode()
    assert SavedOffer.objects.count() == 1


def test_the_adviser_sees_the_own_desk_featured_offers_first(
    client_for, adviser_a, desk_a, desk_b, offers
):
    OfferCuration.objects.create(
        desk=desk_a, offer=offers["forklift"], status=CurationStatus.FEATURED
    )
    OfferCuration.objects.create(desk=desk_b, offer=offers["nurse"], status=CurationStatus.FEATURED)
    body = client_for(adviser_a).get(STAFF).content.decode()
    assert body.count("Aanbevolen door het loket") == 1  # desk A's choice, not desk B's
    assert body.index("Cursus heftruckchauffeur") < body.index("Verpleegkundige")
    # an empty result tells a citizen on a regional page to ask the desk, not an adviser
    empty = client_for(adviser_a).get(STAFF, {"q": "zzqqxx", "zoek_precies": "1"})
    assert "Geen opleidingen gevonden" in empty.content.decode()
    assert "U kunt ook het loket om advies vragen" not in empty.content.decode()


def test_the_adviser_finds_the_trajectory_by_client_name(
    client_for, adviser_a, trajectory_a, offers
):
    http = client_for(adviser_a)
    save_url = reverse("catalogue_search:offer_save", args=[offers["nurse"].uuid])
    body = http.get(save_url, {"klant": "voorbeeld"}).content.decode()
    assert "Testa Voorbeeld" in body
    assert str(trajectory_a.uuid) in body


def test_a_closed_trajectory_cannot_get_offers(client_for, adviser_a, trajectory_a, offers):
    trajectory_a.status = TrajectoryStatus.CLOSED
    trajectory_a.closed_on = trajectory_a.outcome_date = timezone.localdate()
    trajectory_a.outcome = Outcome.ADVICE_NO_FOLLOW_UP
    trajectory_a.save()
    http = client_for(adviser_a)
    save_url = reverse("catalogue_search:offer_save", args=[offers["nurse"].uuid])
    response = http.post(save_url, {"traject": str(trajectory_a.uuid)})
    assert "afgesloten" in response.content.decode()
    assert not SavedOffer.objects.exists()


def test_another_desk_gets_404_for_the_trajectory(client_for, adviser_b, trajectory_a, offers):
    http = client_for(adviser_b)
    save_url = reverse("catalogue_search:offer_save", args=[offers["nurse"].uuid])
    assert http.post(save_url, {"traject": str(trajectory_a.uuid)}).status_code == 404
    assert http.get(save_url, {"traject": str(trajectory_a.uuid)}).status_code == 404
    assert http.get(STAFF, {"traject": str(trajectory_a.uuid)}).status_code == 404
    # and a client name search never shows desk A's trajectories
    assert "Voorbeeld" not in http.get(save_url, {"klant": "voorbeeld"}).content.decode()
    assert not SavedOffer.objects.exists()


def test_another_desk_does_not_see_saved_offers_on_its_pages(
    client_for, adviser_a, adviser_b, desk_b, trajectory_a, offers
):
    SavedOffer.objects.create(
        desk=trajectory_a.desk, trajectory=trajectory_a, offer=offers["nurse"], saved_by=adviser_a
    )
    other = TrajectoryFactory(desk=desk_b)
    body = (
        client_for(adviser_b)
        .get(reverse("guidance:trajectory_detail", args=[other.uuid]))
        .content.decode()
    )
    assert "Nog geen opleidingen bewaard" in body


@pytest.mark.parametrize("role", ["national_user", "ministry_user"])
def test_national_roles_cannot_save_offers(request, client_for, role, trajectory_a, offers):
    user = request.getfixturevalue(role)
    save_url = reverse("catalogue_search:offer_save", args=[offers["nurse"].uuid])
    assert client_for(user).post(save_url, {"traject": str(trajectory_a.uuid)}).status_code == 403


# -- API -------------------------------------------------------------------------------------


def test_the_api_searches_with_the_same_filters(offers):
    api = Client()
    response = api.get(
        API, {"q": "verpleegkunde", "level": "mbo_4", "postcode": "3011", "distance_km": "10"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert data["results"][0]["offer"]["title"] == "Verpleegkundige"
    assert data["results"][0]["distance_km"] == pytest.approx(0, abs=0.01)
    levels = next(f for f in data["facets"] if f["key"] == "levels")
    assert {o["value"]: o["count"] for o in levels["options"]}["mbo_4"] == 1


def test_an_api_result_shows_the_places_of_the_offer_itself(offers):
    from django.test.utils import CaptureQueriesContext

    from leerwerk.catalogue.models import OfferLocation

    nurse = offers["nurse"]
    OfferLocation.objects.create(
        offer=nurse, city="Gouda", latitude="52.01667", longitude="4.70833"
    )
    make_offer("Cursus online leren", is_online=True)  # no places at all
    api = Client()
    with CaptureQueriesContext(connection) as first:
        data = api.get(API, {"postcode": "2801", "distance_km": "400"}).json()
    by_title = {hit["offer"]["title"]: hit["offer"] for hit in data["results"]}
    detail = api.get(f"{API}{nurse.uuid}/").json()
    # the same places (the result list in the order they were added, the offer by city)
    listed = by_title["Verpleegkundige"]["locations"]
    assert [place["city"] for place in listed] == ["Teststad", "Gouda"]
    assert sorted(listed, key=str) == sorted(detail["locations"], key=str)
    assert [(place["municipality"], place["latitude"]) for place in listed] == [
        ("GM0599", None),
        (None, "52.01667"),
    ]
    # the nearest place counts: Gouda, not Rotterdam
    nurse_hit = next(h for h in data["results"] if h["offer"]["title"] == "Verpleegkundige")
    assert nurse_hit["distance_km"] < 3

    everything = api.get(API).json()
    online = next(h for h in everything["results"] if h["offer"]["title"] == "Cursus online leren")
    assert online["offer"]["locations"] == []
    # the places of a page are read at once, not per offer
    make_offer("Cursus extra", municipality="GM0014")
    with CaptureQueriesContext(connection) as second:
        api.get(API, {"postcode": "2801", "distance_km": "400"})
    assert len(second) == len(first)


def test_a_result_page_reads_each_offer_once(client, offers):
    """The result list reads only the columns it shows (``search.LIST_FIELDS``): a card that
    needed another would load it per offer, so a page with one offer more would take more
    queries."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        shown = client.get(PUBLIC, {"sorteren": "start"}).content.decode()
    make_offer("Cursus nog een", municipality="GM0014", cost_amount=Decimal("12.50"))
    with CaptureQueriesContext(connection) as second:
        more = client.get(PUBLIC, {"sorteren": "start"}).content.decode()
    assert "Cursus nog een" in more and "Cursus nog een" not in shown
    assert "€ 12,50" in more
    assert len(second) == len(first)


@pytest.mark.parametrize(
    ("cost", "starts", "flexible"),
    [
        ("1234.50", [datetime.date(2031, 1, 3)], False),
        ("0.50", [datetime.date(2031, 3, 31)], False),
        ("1000000", [datetime.date(2031, 12, 9)], False),
        ("0", [], True),
        (None, [], False),
    ],
)
def test_a_card_writes_dates_and_amounts_as_the_template_filters_do(offers, cost, starts, flexible):
    """Cards are formatted in Python (``views_search._cards``): the same text as Django's
    ``date:"j F Y"`` and ``floatformat:"2g"`` in Dutch."""
    from django.template.defaultfilters import date as date_filter
    from django.template.defaultfilters import floatformat

    from leerwerk.catalogue import search
    from leerwerk.catalogue.views_search import _cards

    offer = make_offer(
        "Cursus kaart",
        cost_amount=Decimal(cost) if cost is not None else None,
        starts=starts,
        flexible_start=flexible,
    )
    [card] = _cards(search._hits(search.OfferQuery(), [offer.pk]), None)
    if flexible:
        assert card.start == "Start wanneer u wilt"
    elif starts:
        assert card.start == f"Start op {date_filter(starts[0], 'j F Y')}"
        assert any(month in card.start for month in ("januari", "maart", "december"))
    else:
        assert card.start == "Startdatum niet bekend"
    if cost is None:
        assert card.cost == "Kosten niet bekend"
    elif Decimal(cost):
        assert card.cost == "€ " + floatformat(Decimal(cost), "2g")
        assert card.cost in ("€ 1.234,50", "€ 0,50", "€ 1.000.000,00")
    else:
        assert card.cost == "Gratis"


def test_the_api_corrects_typos_and_says_so(offers):
    data = Client().get(API, {"q": "verplegkundige"}).json()
    assert (data["count"], data["corrected_from"], data["query"]) == (
        1,
        "verplegkundige",
        "verpleegkundige",
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"postcode": "abc"}, "postcode"),
        ({"distance_km": "10"}, "distance_km"),
        ({"distance_km": "x", "postcode": "3011"}, "distance_km"),
        ({"level": "mbo_9"}, "level"),
        ({"max_cost": "-1"}, "max_cost"),
        ({"sort": "random"}, "sort"),
        ({"start_from": "morgen"}, "start_from"),
        ({"page": "0"}, "page"),
    ],
)
def test_bad_api_parameters_give_400_with_the_stable_format(offers, params, field):
    response = Client().get(API, params)
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "invalid"
    assert data["detail"] == "De invoer is niet goed. Bekijk de meldingen per veld."
    assert list(data["fields"]) == [field]
    assert data["fields"][field][0]  # a Dutch message


def test_the_api_shows_one_offer_escaped_as_data(offers):
    hostile = offers["hostile"]
    data = Client().get(f"{API}{hostile.uuid}/").json()
    assert data["title"] == '<script>alert("x")</script>Beveiliger <b>vet</b>'
    assert data["provider"] == "<i>Opleider</i> & Co"
    assert Client().get(f"{API}00000000-0000-0000-0000-000000000000/").json()["code"] == "not_found"
