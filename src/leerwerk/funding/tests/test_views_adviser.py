"""The adviser's funding check inside a trajectory through HTTP: prefilled from the client,
explained results, saved on the trajectory and printable, desk-scoped and audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leerwerk.clients.tests.factories import ClientFactory
from leerwerk.core.models import AuditEvent
from leerwerk.funding.models import FundingAdvice
from leerwerk.funding.tests.factories import ArrangementFactory, ConditionFactory
from leerwerk.guidance.tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

SECRET_NAME = "Vertrouwelijk-Klantnaam"


@pytest.fixture
def trajectory_a(desk_a):  # type: ignore[no-untyped-def]
    client = ClientFactory(
        desk=desk_a,
        family_name=SECRET_NAME,
        situation="jobseeker_ww",
        birth_year=1981,
        education_level="mbo_2",
    )
    return TrajectoryFactory(client=client)


@pytest.fixture
def credit():  # type: ignore[no-untyped-def]
    arrangement = ArrangementFactory(name="Krediet voor een diploma")
    ConditionFactory(arrangement=arrangement, kind="training_kind", values=["diploma"])
    ConditionFactory(arrangement=arrangement, kind="age", operator="between", values=[], maximum=55)
    return arrangement


def check_url(trajectory) -> str:  # type: ignore[no-untyped-def]
    return reverse("funding:trajectory_check", args=[trajectory.uuid])


def test_the_check_is_prefilled_from_the_client_and_audited(client_for, adviser_a, trajectory_a):
    response = client_for(adviser_a).get(check_url(trajectory_a))

    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["situations"] == ["jobseeker_ww"]
    assert initial["education_level"] == "mbo_2"
    assert initial["postcode"] == "3011 AB"
    assert AuditEvent.objects.filter(
        action="funding_check.view", object_uuid=trajectory_a.uuid
    ).exists()


def test_adviser_evaluates_with_a_training_and_sees_the_reasons(
    client_for, adviser_a, trajectory_a, credit
):
    response = client_for(adviser_a).post(
        check_url(trajectory_a),
        {
            "situations": ["jobseeker_ww"],
            "age": "45",
            "postcode": "3011 AB",
            "training_name": "Verzorgende IG",
            "training_kind": "diploma",
            "training_level": "mbo_3",
            "training_crebo": "25655",
            "bekijken": "1",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Uitkomst (nog niet opgeslagen)" in html
    assert "De soort opleiding: Opleiding met diploma. Dat past" in html
    assert not FundingAdvice.objects.exists()


def test_saving_puts_the_advice_on_the_trajectory_and_shows_a_printable_page(
    client_for, adviser_a, trajectory_a, credit
):
    client = client_for(adviser_a)
    response = client.post(
        check_url(trajectory_a),
        {
            "situations": ["jobseeker_ww"],
            "age": "45",
            "training_kind": "diploma",
            "lists_known": "on",
            "training_lists": ["rio"],
            "note": "Start in september.",
            "opslaan": "1",
        },
    )

    advice = FundingAdvice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("funding:advice_detail", args=[advice.uuid])
    assert advice.trajectory == trajectory_a and advice.created_by == adviser_a
    assert advice.training["lists"] == ["rio"]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Krediet voor een diploma" in html
    assert "Afdrukken" in html
    assert "Start in september." in html
    assert "45 jaar" in html
    assert AuditEvent.objects.filter(action="funding_advice.view", object_uuid=advice.uuid).exists()
    # and the trajectory page links to it
    trajectory_page = client.get(reverse("guidance:trajectory_detail", args=[trajectory_a.uuid]))
    assert reverse("funding:advice_detail", args=[advice.uuid]) in trajectory_page.content.decode()
    assert check_url(trajectory_a) in trajectory_page.content.decode()


def test_the_saved_advice_does_not_change_when_the_arrangement_changes(
    client_for, adviser_a, trajectory_a, credit
):
    client = client_for(adviser_a)
    client.post(check_url(trajectory_a), {"age": "45", "training_kind": "diploma", "opslaan": "1"})
    advice = FundingAdvice.objects.get()

    credit.name = "Hernoemd"
    credit.save()

    html = client.get(reverse("funding:advice_detail", args=[advice.uuid])).content.decode()
    assert "Krediet voor een diploma" in html
    assert "Hernoemd" not in html


@pytest.mark.parametrize("user", ["adviser_b", "manager_b", "national_user", "ministry_user"])
def test_another_desk_and_the_national_team_get_404(
    request, client_for, user, adviser_a, trajectory_a
):
    client_a = client_for(adviser_a)
    client_a.post(check_url(trajectory_a), {"age": "45", "opslaan": "1"})
    advice = FundingAdvice.objects.get()
    client = client_for(request.getfixturevalue(user))

    responses = [
        client.get(check_url(trajectory_a)),
        client.post(check_url(trajectory_a), {"age": "45", "opslaan": "1"}),
        client.get(reverse("funding:advice_detail", args=[advice.uuid])),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert all(SECRET_NAME not in r.content.decode() for r in responses)
    assert FundingAdvice.objects.count() == 1


def test_trajectory_page_lists_advice_in_few_queries(
    client_for, adviser_a, trajectory_a, django_assert_max_num_queries
):
    client = client_for(adviser_a)
    for _ in range(3):
        client.post(check_url(trajectory_a), {"age": "45", "opslaan": "1"})
    url = reverse("guidance:trajectory_detail", args=[trajectory_a.uuid])
    client.get(url)  # warm the session

    with django_assert_max_num_queries(30):
        response = client.get(url)

    assert response.content.decode().count("Financieringsadvies van") == 3


def test_a_saved_catalogue_offer_fills_in_the_training(client_for, adviser_a, trajectory_a):
    from leerwerk.catalogue.constants import Level, OfferKind
    from leerwerk.catalogue.models import SavedOffer
    from leerwerk.catalogue.tests.factories import offer

    # given an offer saved on the trajectory, and one that is not
    saved = offer(
        "Verzorgende IG",
        provider="ROC Rijnmond",
        kind=OfferKind.DIPLOMA,
        level=Level.MBO_3,
        crebo_code="25491",
    )
    other = offer("Lassen voor beginners", kind=OfferKind.COURSE, level=Level.NONE)
    SavedOffer.objects.create(desk=trajectory_a.desk, trajectory=trajectory_a, offer=saved)
    client = client_for(adviser_a)
    # the check page lists it
    page = client.get(check_url(trajectory_a))
    assert f"?opleiding={saved.uuid}" in page.content.decode()
    # when the adviser picks it, kind, level, crebo and name are filled in
    form = client.get(check_url(trajectory_a), {"opleiding": str(saved.uuid)}).context["form"]
    assert form.initial["training_kind"] == "diploma"
    assert form.initial["training_level"] == "mbo_3"
    assert form.initial["training_crebo"] == "25491"
    assert form.initial["training_name"] == "Verzorgende IG (ROC Rijnmond)"
    # an offer that is not saved on this trajectory, or a bad value, fills in nothing
    for value in (str(other.uuid), "geen-uuid"):
        form = client.get(check_url(trajectory_a), {"opleiding": value}).context["form"]
        assert "training_name" not in form.initial
