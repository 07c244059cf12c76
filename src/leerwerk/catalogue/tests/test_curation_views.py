"""Staff pages through HTTP: feeds, upload, run page and error report, opportunity occupations
with routes, featured/hidden offers. Scoping: another desk's staff get 404, advisers 403 on
changes, the national team manages national feeds."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leerwerk.catalogue import services
from leerwerk.catalogue.constants import CurationStatus, ImportStatus, OpportunityKind, SourceKind
from leerwerk.catalogue.models import (
    Feed,
    ImportRun,
    Offer,
    OfferCuration,
    OpportunityOccupation,
    TrainingRoute,
)
from leerwerk.catalogue.tests import factories
from leerwerk.catalogue.tests.factories import FILES

pytestmark = pytest.mark.django_db


def _upload(client, feed, name="offers_bad.csv", full=True):  # type: ignore[no-untyped-def]
    data = {"file": SimpleUploadedFile(name, (FILES / name).read_bytes(), "text/csv")}
    if full:
        data["full"] = "on"
    return client.post(reverse("catalogue:feed_upload", args=[feed.uuid]), data)


@pytest.fixture
def desk_feed(desk_a, manager_a):  # type: ignore[no-untyped-def]
    return services.desk_csv_feed(actor=manager_a, desk=desk_a)


@pytest.fixture
def opportunity(desk_a, manager_a):  # type: ignore[no-untyped-def]
    return services.opportunity_save(
        actor=manager_a,
        desk=desk_a,
        occupation=factories.occupation("verpleegkundige", "2221.1"),
        sector="care",
        note="Veel vacatures",
    )


# -- home, feeds, upload, runs ---------------------------------------------------------------


def test_home_lists_the_desk_and_its_feeds(client_for, manager_a, desk_a, desk_feed):  # type: ignore[no-untyped-def]
    response = client_for(manager_a).get(reverse("catalogue:home"))

    assert response.status_code == 200
    assert desk_a.display_name in response.text
    assert desk_feed.name in response.text
    assert reverse("catalogue:desk_feed", args=[desk_a.uuid]) in response.text


def test_home_is_for_staff_only(client_for, ministry_user, client):  # type: ignore[no-untyped-def]
    assert client_for(ministry_user).get(reverse("catalogue:home")).status_code == 403
    assert client.get(reverse("catalogue:home")).status_code == 302  # to the log-in page


def test_desk_feed_is_created_once_by_the_desk_manager(client_for, manager_a, adviser_a, desk_a):  # type: ignore[no-untyped-def]
    url = reverse("catalogue:desk_feed", args=[desk_a.uuid])
    first = client_for(manager_a).post(url)
    second = client_for(manager_a).post(url)

    feed = Feed.objects.get(desk=desk_a)
    assert first.url == second.url == reverse("catalogue:feed_detail", args=[feed.uuid])
    assert client_for(adviser_a).post(url).status_code == 403


def test_upload_imports_small_files_at_once_and_shows_the_report(
    client_for, manager_a, desk_feed, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    client = client_for(manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, desk_feed)

    run = ImportRun.objects.get()
    assert response.url == reverse("catalogue:run_detail", args=[run.uuid])
    assert run.status == ImportStatus.DONE_WITH_ERRORS
    assert run.started_by == manager_a
    page = client.get(response.url)
    assert page.status_code == 200
    assert "is verplicht, maar leeg" in page.text
    assert "te lang: 260 tekens" in page.text
    assert "hx-trigger" not in page.text  # finished: no more polling
    # markup from the file is shown as text, never as markup
    assert "<script>alert(1)</script>" not in page.text
    offers = client.get(reverse("catalogue:feed_detail", args=[desk_feed.uuid]))
    assert "offers_bad.csv" in offers.text
    report = client.get(reverse("catalogue:run_errors_csv", args=[run.uuid]))
    assert report["Content-Type"].startswith("text/csv")
    lines = report.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "regel;id;veld;reden"
    assert "3;BAD-1;titel;is verplicht, maar leeg" in lines
    assert len(lines) == 1 + run.row_errors.count()


def test_run_page_polls_while_running_and_htmx_gets_the_status_only(
    client_for, manager_a, desk_feed
):  # type: ignore[no-untyped-def]
    run = services.import_run_create(actor=manager_a, feed=desk_feed, file_name="groot.csv")
    services.import_run_start(run=run, rows_total=200)
    run.rows_done = 50
    services.import_run_progress(run=run)
    client = client_for(manager_a)

    page = client.get(reverse("catalogue:run_detail", args=[run.uuid]))
    partial = client.get(reverse("catalogue:run_detail", args=[run.uuid]), HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 2s"' in page.text
    assert 'value="25"' in page.text  # 50 of 200 rows
    assert partial.text.lstrip().startswith('<div id="run-status"')
    assert "<html" not in partial.text
    assert "HX-Refresh" not in partial
    services.import_run_finish(run=run)
    done = client.get(reverse("catalogue:run_detail", args=[run.uuid]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"  # one full reload shows the report


def test_upload_rejects_other_file_types(client_for, manager_a, desk_feed):  # type: ignore[no-untyped-def]
    data = {"file": SimpleUploadedFile("foto.png", b"\x89PNG", "image/png")}
    response = client_for(manager_a).post(
        reverse("catalogue:feed_upload", args=[desk_feed.uuid]), data
    )

    assert response.status_code == 400
    assert "eindigt op .csv" in response.text
    assert ImportRun.objects.count() == 0


# The worker commits and checks its connection as in production: a real transaction.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_transactional_db")
def test_large_uploads_are_queued_and_the_worker_imports_them(
    client_for, manager_a, desk_feed, monkeypatch
):  # type: ignore[no-untyped-def]
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from leerwerk.catalogue import views_staff

    monkeypatch.setattr(views_staff, "SYNC_LIMIT", 2)
    response = _upload(client_for(manager_a), desk_feed, "offers_valid.csv")

    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.QUEUED
    assert Offer.objects.count() == 0
    # the queue holds the run's id only (no file contents, no personal data)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "leerwerk.catalogue.tasks.process_import"
    assert queued.args_kwargs == {"args": [str(run.uuid)], "kwargs": {}}

    call_command("db_worker", batch=True, interval=0, startup_delay=False, stdout=io.StringIO())

    run.refresh_from_db()
    assert run.status == ImportStatus.DONE
    assert Offer.objects.count() == 4
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value == ImportStatus.DONE


# The worker commits and checks its connection as in production: a real transaction.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_transactional_db")
def test_a_queued_run_imported_by_hand_is_not_imported_again(
    client_for, manager_a, desk_feed, monkeypatch
):  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    from leerwerk.catalogue import views_staff

    monkeypatch.setattr(views_staff, "SYNC_LIMIT", 2)
    _upload(client_for(manager_a), desk_feed, "offers_valid.csv")
    run = ImportRun.objects.get()

    call_command("run_import", str(run.uuid), stdout=io.StringIO())
    call_command("db_worker", batch=True, interval=0, startup_delay=False, stdout=io.StringIO())

    run.refresh_from_db()
    assert run.status == ImportStatus.DONE
    assert run.created == 4
    assert Offer.objects.count() == 4


def test_adviser_reads_but_cannot_upload(client_for, adviser_a, desk_feed):  # type: ignore[no-untyped-def]
    client = client_for(adviser_a)
    page = client.get(reverse("catalogue:feed_detail", args=[desk_feed.uuid]))

    assert page.status_code == 200
    assert "Bestand uploaden" not in page.text
    assert _upload(client, desk_feed).status_code == 403


def test_other_desk_gets_404_on_feed_run_and_report(client_for, manager_b, manager_a, desk_feed):  # type: ignore[no-untyped-def]
    run = services.import_run_create(actor=manager_a, feed=desk_feed, file_name="x.csv")
    client = client_for(manager_b)

    for url in [
        reverse("catalogue:feed_detail", args=[desk_feed.uuid]),
        reverse("catalogue:run_detail", args=[run.uuid]),
        reverse("catalogue:run_errors_csv", args=[run.uuid]),
    ]:
        assert client.get(url).status_code == 404, url
    assert _upload(client, desk_feed).status_code == 404


def test_national_feeds_are_for_the_national_team(client_for, national_user, manager_a):  # type: ignore[no-untyped-def]
    feed = factories.national_feed(SourceKind.EDUDEX)
    url = reverse("catalogue:feed_detail", args=[feed.uuid])

    assert client_for(national_user).get(url).status_code == 200
    assert "Bestand uploaden" in client_for(national_user).get(url).text
    assert client_for(manager_a).get(url).status_code == 404


def test_template_download(client_for, adviser_a):  # type: ignore[no-untyped-def]
    response = client_for(adviser_a).get(reverse("catalogue:template_download"))

    assert response["Content-Disposition"] == 'attachment; filename="sjabloon-opleidingen.csv"'
    assert response.content.decode("utf-8").startswith("\ufeffid;titel;opleider;")


# -- opportunity occupations and routes ------------------------------------------------------


def test_occupation_search_works_with_and_without_htmx(client_for, manager_a, desk_a):  # type: ignore[no-untyped-def]
    factories.occupation("verpleegkundige", "2221.1")
    factories.occupation("kok", "3434.1")
    client = client_for(manager_a)

    plain = client.get(
        reverse("catalogue:opportunity_create", args=[desk_a.uuid]), {"q": "verpleeg"}
    )
    partial = client.get(reverse("catalogue:occupation_search"), {"q": "verpleeg"})

    assert "verpleegkundige" in plain.text and "kok" not in plain.text
    assert 'name="occupation"' in partial.text
    assert "<html" not in partial.text
    # alternative labels are searched too
    assert (
        "verpleegkundige" in client.get(reverse("catalogue:occupation_search"), {"q": "(m/v)"}).text
    )


def test_desk_manager_adds_an_opportunity_occupation(client_for, manager_a, desk_a):  # type: ignore[no-untyped-def]
    nurse = factories.occupation("verpleegkundige", "2221.1")
    response = client_for(manager_a).post(
        reverse("catalogue:opportunity_create", args=[desk_a.uuid]),
        {
            "occupation": nurse.uri,
            "sector": "care",
            "kind": OpportunityKind.SHORTAGE,
            "note": "Tekort",
            "is_published": "on",
        },
    )

    opportunity = OpportunityOccupation.objects.get()
    assert response.url == reverse("catalogue:opportunity_detail", args=[opportunity.uuid])
    assert (opportunity.desk, opportunity.occupation, opportunity.kind) == (
        desk_a,
        nurse,
        OpportunityKind.SHORTAGE,
    )


def test_an_occupation_must_be_chosen_and_only_once(client_for, manager_a, desk_a, opportunity):  # type: ignore[no-untyped-def]
    url = reverse("catalogue:opportunity_create", args=[desk_a.uuid])
    client = client_for(manager_a)

    missing = client.post(url, {"sector": "care", "kind": "opportunity"})
    twice = client.post(
        url, {"occupation": opportunity.occupation.uri, "sector": "care", "kind": "opportunity"}
    )

    assert missing.status_code == 400
    assert "Zoek een beroep" in missing.text
    assert twice.status_code == 400
    assert "staat al in de lijst" in twice.text
    assert OpportunityOccupation.objects.count() == 1


def test_routes_are_added_and_removed(client_for, manager_a, opportunity):  # type: ignore[no-untyped-def]
    offer = factories.offer("Mbo-Verpleegkundige BBL")
    qualification = factories.qualification("25655", "Mbo-Verpleegkundige", 4)
    client = client_for(manager_a)
    add = reverse("catalogue:route_add", args=[opportunity.uuid])

    client.post(add, {"offer": str(offer.uuid)})
    client.post(add, {"qualification": "25655"})
    client.post(add, {"qualification": "25655"})  # twice: refused with a message

    assert TrainingRoute.objects.filter(opportunity=opportunity).count() == 2
    page = client.get(
        reverse("catalogue:opportunity_detail", args=[opportunity.uuid]), {"q": "verpleeg"}
    )
    assert "Mbo-Verpleegkundige BBL" in page.text
    client.post(
        reverse("catalogue:route_remove", args=[opportunity.uuid]), {"offer": str(offer.uuid)}
    )
    assert list(TrainingRoute.objects.values_list("qualification", flat=True)) == [qualification.pk]


def test_opportunity_is_changed_with_optimistic_locking(client_for, manager_a, opportunity):  # type: ignore[no-untyped-def]
    url = reverse("catalogue:opportunity_detail", args=[opportunity.uuid])
    client = client_for(manager_a)
    values = {
        "sector": "ict",
        "kind": "opportunity",
        "note": "Nieuw",
        "version": opportunity.version,
    }

    assert client.post(url, values).status_code == 302
    stale = client.post(url, {**values, "note": "Oud"})

    assert stale.status_code == 400
    assert "Iemand anders heeft dit intussen gewijzigd" in stale.text
    opportunity.refresh_from_db()
    assert (opportunity.sector, opportunity.note, opportunity.is_published) == (
        "ict",
        "Nieuw",
        False,
    )


def test_adviser_reads_opportunities_but_cannot_change_them(
    client_for, adviser_a, desk_a, opportunity
):  # type: ignore[no-untyped-def]
    client = client_for(adviser_a)
    detail = reverse("catalogue:opportunity_detail", args=[opportunity.uuid])

    assert client.get(reverse("catalogue:opportunity_list", args=[desk_a.uuid])).status_code == 200
    assert client.get(detail).status_code == 200
    assert (
        client.post(detail, {"sector": "ict", "kind": "opportunity", "version": 1}).status_code
        == 403
    )
    assert (
        client.get(reverse("catalogue:opportunity_create", args=[desk_a.uuid])).status_code == 403
    )
    assert (
        client.post(reverse("catalogue:opportunity_delete", args=[opportunity.uuid])).status_code
        == 403
    )
    assert OpportunityOccupation.objects.filter(pk=opportunity.pk).exists()


def test_other_desk_gets_404_on_every_opportunity_page(client_for, manager_b, desk_a, opportunity):  # type: ignore[no-untyped-def]
    offer = factories.offer("Route")
    client = client_for(manager_b)
    gets = [
        reverse("catalogue:opportunity_list", args=[desk_a.uuid]),
        reverse("catalogue:opportunity_create", args=[desk_a.uuid]),
        reverse("catalogue:opportunity_detail", args=[opportunity.uuid]),
        reverse("catalogue:matrix", args=[desk_a.uuid]),
        reverse("catalogue:curation_list", args=[desk_a.uuid]),
    ]
    posts = [
        reverse("catalogue:opportunity_detail", args=[opportunity.uuid]),
        reverse("catalogue:opportunity_delete", args=[opportunity.uuid]),
        reverse("catalogue:route_add", args=[opportunity.uuid]),
        reverse("catalogue:route_remove", args=[opportunity.uuid]),
        reverse("catalogue:desk_feed", args=[desk_a.uuid]),
        reverse("catalogue:curation_set", args=[desk_a.uuid, offer.uuid]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert (
            client.post(url, {"offer": str(offer.uuid), "status": "featured"}).status_code == 404
        ), url
    assert TrainingRoute.objects.count() == 0
    assert OfferCuration.objects.count() == 0


def test_opportunity_delete(client_for, manager_a, opportunity):  # type: ignore[no-untyped-def]
    client_for(manager_a).post(reverse("catalogue:opportunity_delete", args=[opportunity.uuid]))

    assert not OpportunityOccupation.objects.exists()


# -- featured and hidden offers --------------------------------------------------------------


def test_desk_manager_features_and_hides_offers(client_for, manager_a, desk_a):  # type: ignore[no-untyped-def]
    offer = factories.offer("Logistiek medewerker")
    client = client_for(manager_a)
    url = reverse("catalogue:curation_set", args=[desk_a.uuid, offer.uuid])

    found = client.get(reverse("catalogue:curation_list", args=[desk_a.uuid]), {"q": "logistiek"})
    client.post(url, {"status": CurationStatus.FEATURED, "note": "Veel vraag"})
    assert OfferCuration.objects.get().status == CurationStatus.FEATURED
    client.post(url, {"status": CurationStatus.HIDDEN})
    assert OfferCuration.objects.get().status == CurationStatus.HIDDEN
    client.post(url, {"status": ""})

    assert "Logistiek medewerker" in found.text
    assert not OfferCuration.objects.exists()


def test_adviser_cannot_curate(client_for, adviser_a, desk_a):  # type: ignore[no-untyped-def]
    offer = factories.offer("Logistiek medewerker")
    response = client_for(adviser_a).post(
        reverse("catalogue:curation_set", args=[desk_a.uuid, offer.uuid]), {"status": "featured"}
    )

    assert response.status_code == 403


# -- no N+1 on the lists ---------------------------------------------------------------------


def _queries(client, url):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_use_a_fixed_number_of_queries(
    client_for, manager_a, desk_a, desk_feed, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    client = client_for(manager_a)
    pages = [
        reverse("catalogue:opportunity_list", args=[desk_a.uuid]),
        reverse("catalogue:matrix", args=[desk_a.uuid]),
        reverse("catalogue:feed_detail", args=[desk_feed.uuid]),
        reverse("catalogue:home"),
    ]

    def grow(number):  # type: ignore[no-untyped-def]
        for index in range(3):
            occupation = factories.occupation(f"beroep {number}-{index}", f"9{number}{index}.1")
            opportunity = services.opportunity_save(
                actor=manager_a, desk=desk_a, occupation=occupation, sector="care"
            )
            services.route_add(
                actor=manager_a,
                opportunity=opportunity,
                offer=factories.offer(f"Route {number}-{index}"),
            )
            services.import_run_create(
                actor=manager_a, feed=desk_feed, file_name=f"{number}-{index}.csv"
            )

    grow(1)
    before = [_queries(client, url) for url in pages]
    grow(2)
    after = [_queries(client, url) for url in pages]

    assert after == before
    with django_assert_max_num_queries(12):
        client.get(pages[0])
