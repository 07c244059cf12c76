"""Figures entered by hand: who may, what may be entered, no silent overwrite."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leerwerk.core.exceptions import ConflictError
from leerwerk.reporting.selectors import Period, compute_report
from leerwerk.reporting.services import manual_value_set

pytestmark = pytest.mark.django_db


def test_a_desk_manager_enters_website_visitors_and_the_report_shows_them(manager_a, desk_a):
    manual_value_set(
        actor=manager_a,
        desk=desk_a,
        figure_code="websitebezoekers",
        year=2025,
        half=1,
        value="1200",
    )
    manual_value_set(
        actor=manager_a,
        desk=desk_a,
        figure_code="websitebezoekers",
        year=2025,
        half=2,
        value="800,5",
    )
    report = compute_report(desk_ids=[desk_a.pk], periods=[Period.year(2025), Period.half(2025, 1)])
    assert report.value("websitebezoekers", "2025") == Decimal("2000.50")
    assert report.value("websitebezoekers", "2025 H1") == Decimal("1200.00")
    assert report.row("websitebezoekers").cells[0].manual


@pytest.mark.parametrize("who", ["adviser_a", "manager_b", "national_user"])
def test_only_the_desks_own_manager_enters_figures(who, desk_a, request):
    with pytest.raises(PermissionDenied):
        manual_value_set(
            actor=request.getfixturevalue(who),
            desk=desk_a,
            figure_code="websitebezoekers",
            year=2025,
            half=1,
            value=1,
        )


@pytest.mark.parametrize(
    ("code", "value", "field"),
    [
        ("adviesgesprekken", "5", "figure_code"),  # counted, never typed in
        ("websitebezoekers", "veel", "value"),
        ("websitebezoekers", "-3", "value"),
    ],
)
def test_bad_input_is_refused(manager_a, desk_a, code, value, field):
    with pytest.raises(ValidationError) as error:
        manual_value_set(
            actor=manager_a, desk=desk_a, figure_code=code, year=2025, half=1, value=value
        )
    assert field in error.value.message_dict or "__all__" in error.value.message_dict


def test_a_future_half_year_is_refused(manager_a, desk_a):
    next_year = timezone.localdate().year + 1
    with pytest.raises(ValidationError, match="toekomst"):
        manual_value_set(
            actor=manager_a, desk=desk_a, figure_code="begroting", year=next_year, half=1, value=1
        )


def test_changing_a_value_needs_the_loaded_version(manager_a, desk_a):
    first = manual_value_set(
        actor=manager_a, desk=desk_a, figure_code="begroting", year=2025, half=1, value=100
    )
    with pytest.raises(ConflictError):
        manual_value_set(
            actor=manager_a, desk=desk_a, figure_code="begroting", year=2025, half=1, value=200
        )
    manual_value_set(
        actor=manager_a,
        desk=desk_a,
        figure_code="begroting",
        year=2025,
        half=1,
        value=300,
        expected_version=first.version,
    )
    first.refresh_from_db()
    assert first.value == Decimal("300.00")


@pytest.mark.parametrize(
    ("today", "labels"),
    [
        (datetime.date(2026, 3, 1), ["2023", "2024", "2025", "2026 H1"]),
        (datetime.date(2026, 11, 22), ["2023", "2024", "2025", "2026 H1", "2026 H2"]),
        (datetime.date(2026, 6, 30), ["2023", "2024", "2025", "2026 H1"]),
        (datetime.date(2026, 7, 1), ["2023", "2024", "2025", "2026 H1", "2026 H2"]),
    ],
)
def test_standard_periods_are_past_years_and_this_years_half_years(today, labels):
    from leerwerk.reporting.selectors import standard_periods

    assert [p.label for p in standard_periods(today)] == labels


def test_a_figure_of_a_draft_rule_set_cannot_be_entered_yet(manager_a, desk_a):
    from leerwerk.reporting.constants import Method
    from leerwerk.reporting.models import FigureDefinition, RuleSet

    draft = RuleSet.objects.create(number=9, effective_from=datetime.date(2030, 1, 1))
    FigureDefinition.objects.create(
        ruleset=draft, code="nieuw-handmatig", label="Nieuw", method=Method.MANUAL, sort_order=1
    )
    with pytest.raises(ValidationError) as error:
        manual_value_set(
            actor=manager_a,
            desk=desk_a,
            figure_code="nieuw-handmatig",
            year=2025,
            half=1,
            value="3",
        )
    assert "niet met de hand" in str(error.value)
