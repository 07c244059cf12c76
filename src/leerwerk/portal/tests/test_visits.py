"""Visit counts without tracking: counters per desk, page and day; the staff page; the selector
for the reports."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from leerwerk.network.models import Desk
from leerwerk.portal import services
from leerwerk.portal.middleware import is_bot
from leerwerk.portal.models import PageVisitCount, SiteDomain
from leerwerk.portal.selectors import website_visitors
from leerwerk.portal.tests.conftest import BROWSER_UA

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor(count_visits):  # type: ignore[no-untyped-def]
    return Client(HTTP_USER_AGENT=BROWSER_UA)


def _desk_url(desk):  # type: ignore[no-untyped-def]
    return reverse("public:desk_detail", args=[desk.slug])


def test_views_are_counted_as_one_counter_per_desk_page_and_day(visitor, desk_a, desk_b):
    for _ in range(3):
        visitor.get(_desk_url(desk_a))
    visitor.get(_desk_url(desk_b))
    visitor.get(reverse("portal_public:callback", args=[desk_a.slug]))
    visitor.get("/")

    today = timezone.localdate()
    rows = {(r.desk_id, r.page): r.count for r in PageVisitCount.objects.filter(day=today)}
    assert rows == {
        (desk_a.pk, "public:desk_detail"): 3,
        (desk_b.pk, "public:desk_detail"): 1,
        (desk_a.pk, "portal_public:callback"): 1,
        (None, "public:home"): 1,
    }


def test_counting_sets_no_cookie_and_stores_nothing_about_the_visitor(visitor, desk_a):
    response = visitor.get(_desk_url(desk_a), REMOTE_ADDR="203.0.113.9")
    assert PageVisitCount.objects.get().count == 1
    # the only cookie is Django's CSRF cookie, which every page with the base template sets
    # (for htmx), counted or not
    assert set(response.cookies) <= {"csrftoken"}
    columns = {f.name for f in PageVisitCount._meta.get_fields()}
    assert columns == {"id", "desk", "page", "day", "count"}


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "curl/8.5.0",
        "Mozilla/5.0 HeadlessChrome/120",
    ],
)
def test_bots_are_not_counted(count_visits, desk_a, user_agent):
    Client(HTTP_USER_AGENT=user_agent).get(_desk_url(desk_a))
    assert not PageVisitCount.objects.exists()


def test_is_bot_lets_ordinary_browsers_through():
    assert not is_bot(BROWSER_UA)
    assert not is_bot("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1")


def test_not_counted_posts_errors_htmx_partials_and_staff_pages(visitor, desk_a, manager_a):
    visitor.post(reverse("portal_public:callback", args=[desk_a.slug]), {})
    visitor.get("/loketten/bestaat-niet/")
    visitor.get("/?q=3011", HTTP_HX_REQUEST="true")
    visitor.force_login(manager_a)
    visitor.get(reverse("portal_staff:overview", args=[desk_a.uuid]))
    assert not PageVisitCount.objects.exists()


def test_counting_is_off_unless_switched_on(client, desk_a):
    Client(HTTP_USER_AGENT=BROWSER_UA).get(_desk_url(desk_a))
    assert not PageVisitCount.objects.exists()


def test_increment_is_an_update_on_an_existing_counter(desk_a, django_assert_num_queries):
    day = datetime.date(2026, 3, 1)
    services.page_visit_count(desk_slug=desk_a.slug, page="public:desk_detail", day=day)
    with django_assert_num_queries(1):  # UPDATE … SET count = count + 1
        services.page_visit_count(desk_slug=desk_a.slug, page="public:desk_detail", day=day)
    assert PageVisitCount.objects.get().count == 2


def test_unknown_or_unpublished_desk_is_not_counted(desk_a):
    Desk.objects.filter(pk=desk_a.pk).update(is_published=False)
    services.page_visit_count(desk_slug=desk_a.slug, page="x", day=datetime.date(2026, 3, 1))
    services.page_visit_count(desk_slug="bestaat-niet", page="x", day=datetime.date(2026, 3, 1))
    assert not PageVisitCount.objects.exists()


def test_national_counter_is_unique_per_page_and_day():
    day = datetime.date(2026, 3, 1)
    for _ in range(3):
        services.page_visit_count(desk_slug=None, page="public:home", day=day)
    assert list(PageVisitCount.objects.values_list("desk_id", "count")) == [(None, 3)]


def test_website_visitors_sums_per_desk_within_the_period(desk_a, desk_b):
    rows = [
        (desk_a, datetime.date(2026, 1, 31), 5),
        (desk_a, datetime.date(2026, 2, 1), 7),
        (desk_a, datetime.date(2026, 2, 28), 1),
        (desk_a, datetime.date(2026, 3, 1), 100),
        (desk_b, datetime.date(2026, 2, 10), 2),
        (None, datetime.date(2026, 2, 10), 50),
    ]
    for desk, day, count in rows:
        PageVisitCount.objects.create(desk=desk, page="public:desk_detail", day=day, count=count)
    other = Desk.objects.exclude(pk__in=[desk_a.pk, desk_b.pk]).first()

    result = website_visitors(
        desk_ids=[desk_a.pk, desk_b.pk, other.pk],
        start=datetime.date(2026, 2, 1),
        end=datetime.date(2026, 2, 28),
    )

    assert result == {desk_a.pk: 8, desk_b.pk: 2, other.pk: 0}


def test_visits_page_shows_views_per_page_per_month(client_for, manager_a, desk_a, desk_b):
    today = timezone.localdate()
    PageVisitCount.objects.create(desk=desk_a, page="public:desk_detail", day=today, count=12)
    PageVisitCount.objects.create(desk=desk_a, page="portal_public:callback", day=today, count=3)
    PageVisitCount.objects.create(desk=desk_b, page="public:desk_detail", day=today, count=999)

    response = client_for(manager_a).get(reverse("portal_staff:visits", args=[desk_a.uuid]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Home van het loket" in html
    assert "Bel mij terug" in html
    assert ">12<" in html
    assert "999" not in html


def test_visits_page_query_count_does_not_grow_with_rows(
    client_for, manager_a, desk_a, django_assert_max_num_queries
):
    today = timezone.localdate()
    for n in range(30):
        PageVisitCount.objects.create(
            desk=desk_a, page=f"page:{n}", day=today - datetime.timedelta(days=n * 9), count=n + 1
        )
    client = client_for(manager_a)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("portal_staff:visits", args=[desk_a.uuid])).status_code == 200


def test_visits_page_is_for_the_desk_manager_and_national_level_not_advisers(
    client_for, adviser_a, national_user, desk_a
):
    assert (
        client_for(adviser_a).get(reverse("portal_staff:visits", args=[desk_a.uuid])).status_code
        == 404
    )
    # counts hold no personal data: the national team may read them
    response = client_for(national_user).get(reverse("portal_staff:visits", args=[desk_a.uuid]))
    assert response.status_code == 200


# -- a desk's own domain -------------------------------------------------------------------------


@override_settings(ALLOWED_HOSTS=["testserver", "www.leerwerk-rijnmond.example", "oud.example"])
def test_own_domain_serves_the_regional_home(admin_user, desk_a, visitor):
    services.site_domain_save(
        actor=admin_user, domain=SiteDomain(desk=desk_a, host="WWW.Leerwerk-Rijnmond.example")
    )
    response = visitor.get("/", HTTP_HOST="www.leerwerk-rijnmond.example")
    assert response.status_code == 200
    assert f'<h1 class="utrecht-heading-1">{desk_a.display_name}</h1>' in response.content.decode()
    # counted as the desk's home
    assert PageVisitCount.objects.get().desk_id == desk_a.pk
    # other paths work as usual on that host, and the national host keeps the national home
    assert visitor.get("/zelftesten/", HTTP_HOST="www.leerwerk-rijnmond.example").status_code == 200
    assert "Welk loket is van mij?" in visitor.get("/").content.decode()
    # an unknown host gets the national home
    assert "Welk loket is van mij?" in visitor.get("/", HTTP_HOST="oud.example").content.decode()


@override_settings(ALLOWED_HOSTS=["testserver", "www.leerwerk-rijnmond.example"])
def test_inactive_domain_or_unpublished_desk_gives_the_national_home(admin_user, desk_a, client):
    domain = services.site_domain_save(
        actor=admin_user, domain=SiteDomain(desk=desk_a, host="www.leerwerk-rijnmond.example")
    )
    Desk.objects.filter(pk=desk_a.pk).update(is_published=False)
    from django.core.cache import cache

    cache.clear()
    html = client.get("/", HTTP_HOST="www.leerwerk-rijnmond.example").content.decode()
    assert "Welk loket is van mij?" in html
    Desk.objects.filter(pk=desk_a.pk).update(is_published=True)
    domain.is_active = False
    services.site_domain_save(actor=admin_user, domain=domain)
    html = client.get("/", HTTP_HOST="www.leerwerk-rijnmond.example").content.decode()
    assert "Welk loket is van mij?" in html


@pytest.mark.parametrize("host", ["https://www.x.nl", "www.x.nl/pad", "localhost", "a..nl"])
def test_domain_must_be_a_plain_host_name(admin_user, desk_a, host):
    with pytest.raises(ValidationError):
        services.site_domain_save(actor=admin_user, domain=SiteDomain(desk=desk_a, host=host))


def test_only_administrators_add_domains(manager_a, desk_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.site_domain_save(actor=manager_a, domain=SiteDomain(desk=desk_a, host="www.x.nl"))


def test_administrator_manages_domains_in_the_admin(client_for, admin_user, desk_a):
    admin = client_for(admin_user)
    response = admin.post(
        reverse("admin:portal_sitedomain_add"),
        {"desk": desk_a.pk, "host": "Www.Regio.example", "is_active": "on"},
    )
    assert response.status_code == 302
    domain = SiteDomain.objects.get()
    assert domain.host == "www.regio.example"
    assert admin.get(reverse("admin:portal_sitedomain_changelist")).status_code == 200
    assert admin.get(reverse("admin:portal_sitedomain_change", args=[domain.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_counter_commit_does_not_wait_for_the_disk_on_postgresql():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    day = datetime.date(2026, 3, 1)
    services.page_visit_count(desk_slug=None, page="public:home", day=day)  # first: INSERT
    with CaptureQueriesContext(connection) as queries:
        services.page_visit_count(desk_slug=None, page="public:home", day=day)
        services.page_visit_count(desk_slug=None, page="public:home", day=day)

    assert PageVisitCount.objects.get(page="public:home", day=day).count == 3
    statements = [query["sql"] for query in queries.captured_queries]
    asynchronous = [sql for sql in statements if "synchronous_commit" in sql]
    # Only for the counter's own short transaction, and only where PostgreSQL has the setting.
    assert len(asynchronous) == (2 if connection.vendor == "postgresql" else 0)
    assert not connection.in_atomic_block


@pytest.fixture
def two_desks():  # type: ignore[no-untyped-def]
    """Two desks, in a database that a previous transactional test may have emptied."""
    import importlib

    from django.apps import apps

    from leerwerk.conftest import load_reference

    importlib.import_module("leerwerk.network.migrations.0002_seed_configuration").seed(apps, None)
    load_reference()
    return Desk.objects.get(region__code="AM22"), Desk.objects.get(region__code="AM01")


@pytest.mark.django_db(transaction=True)
def test_counting_outside_a_transaction_counts_what_the_orm_counts(two_desks):
    """A request counts in autocommit: on PostgreSQL the counter's UPDATE is written out in
    SQL, in one round trip with its ``SET LOCAL`` (``services._increment``); it must count
    exactly the counters the ORM filter selects — per desk, page and day, published desks
    only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    desk_a, desk_b = two_desks
    day = datetime.date(2026, 3, 1)
    services.page_visit_count(desk_slug=desk_b.slug, page="public:desk_detail", day=day)
    Desk.objects.filter(pk=desk_b.pk).update(is_published=False)  # no longer counted
    for _ in range(3):
        services.page_visit_count(desk_slug=desk_a.slug, page="public:desk_detail", day=day)
    services.page_visit_count(
        desk_slug=desk_a.slug, page="public:desk_detail", day=day.replace(day=2)
    )
    services.page_visit_count(desk_slug=desk_a.slug, page="catalogue_search:regional", day=day)
    services.page_visit_count(desk_slug=desk_b.slug, page="public:desk_detail", day=day)
    services.page_visit_count(desk_slug="bestaat-niet", page="public:desk_detail", day=day)
    for _ in range(2):
        services.page_visit_count(desk_slug=None, page="public:desk_detail", day=day)
    with CaptureQueriesContext(connection) as queries:
        services.page_visit_count(desk_slug=desk_a.slug, page="public:desk_detail", day=day)
        services.page_visit_count(desk_slug=None, page="public:desk_detail", day=day)

    counts = PageVisitCount.objects.order_by("desk_id", "page", "day")
    assert sorted(counts.values_list("desk_id", "page", "day", "count"), key=str) == sorted(
        [
            (desk_a.pk, "public:desk_detail", day, 4),
            (desk_a.pk, "public:desk_detail", day.replace(day=2), 1),
            (desk_a.pk, "catalogue_search:regional", day, 1),
            (desk_b.pk, "public:desk_detail", day, 1),
            (None, "public:desk_detail", day, 3),
        ],
        key=str,
    )
    assert len(queries) == 2  # one statement per view of a counted page
    assert not connection.in_atomic_block
