"""'Welk loket is van mij?': postcode and municipality lookup.

The expected answer for every postcode is built here straight from the CSV files, independently
of the loader: PC4 -> 'GM' + DUO gemeentecode -> arbeidsmarktregio_code -> the desk of that region.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest

from leerwerk.network import selectors
from leerwerk.network.models import Desk

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "reference"
SPECIAL_CODES = {"0010", "0020", "0030", "0040"}


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def municipality_regions() -> dict[str, str]:
    """'GM0599' -> 'AM22', from the CBS municipality file."""
    return {
        row["gemeentecode"]: row["arbeidsmarktregio_code"]
        for row in _rows("gemeenten_arbeidsmarktregio_2024.csv")
    }


@cache
def postcode_rows() -> list[dict[str, str]]:
    return _rows("pc4_gemeente_duo_postcodecijfers.csv")


def expected_region(pc4: str) -> str:
    row = next(r for r in postcode_rows() if r["postcode"] == pc4)
    return municipality_regions()[f"GM{row['gemeentecode']}"]


def desk_ids_by_region() -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for desk_id, code in Desk.objects.published().values_list("pk", "region__code"):
        found.setdefault(code, set()).add(desk_id)
    return found


# -- every postcode --------------------------------------------------------------------------


def test_csv_has_all_postcodes_and_every_real_one_maps_to_a_known_municipality():
    rows = postcode_rows()
    assert len(rows) == 4104
    special = {row["postcode"] for row in rows if row["postcode"] in SPECIAL_CODES}
    assert special == SPECIAL_CODES
    unknown = [
        row["postcode"]
        for row in rows
        if row["postcode"] not in SPECIAL_CODES
        and f"GM{row['gemeentecode']}" not in municipality_regions()
    ]
    assert unknown == []


def test_every_postcode_finds_the_desk_of_its_region():
    # given the expected region per postcode, straight from the CSV files
    desks = desk_ids_by_region()
    assert len(desks) == 35
    wrong = []
    checked = 0

    # when every real postcode is looked up
    for row in postcode_rows():
        pc4 = row["postcode"]
        if pc4 in SPECIAL_CODES:
            continue
        municipality_code = f"GM{row['gemeentecode']}"
        region_code = municipality_regions()[municipality_code]
        result = selectors.desk_for_postcode(pc4)

        # then it gives exactly the desk(s) of that region, via the right municipality
        got = {match.desk.pk for match in result.matches}
        municipalities = {match.municipality.code for match in result.matches}
        if got != desks[region_code] or municipalities != {municipality_code} or result.message:
            wrong.append((pc4, municipality_code, region_code, sorted(got), result.message))
        checked += 1

    assert checked == 4100
    assert wrong == []


@pytest.mark.parametrize(
    ("pc4", "description"),
    [
        ("0010", "woonachtig in België"),
        ("0020", "woonachtig in Duitsland"),
        ("0030", "woonachtig elders in het buitenland"),
        ("0040", "geen vaste woon- of verblijfplaats"),
    ],
)
def test_special_postcodes_give_no_desk_and_name_the_special_case(pc4, description):
    # given the description as the CSV has it
    row = next(r for r in postcode_rows() if r["postcode"] == pc4)
    assert row["gemeentenaam"] == description

    # when
    result = selectors.desk_for_postcode(pc4)

    # then
    assert result.matches == []
    assert description in result.message
    assert pc4 in result.message


# -- border cases ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "pc4", "municipality"),
    [
        # first and last real codes
        ("1011", "1011", "Amsterdam"),
        ("9999", "9999", "Het Hogeland"),
        # the postcode file spells these without the CBS suffix; joined on the code
        ("1251", "1251", "Laren (NH.)"),
        ("2281", "2281", "Rijswijk (ZH.)"),
        ("7551", "7551", "Hengelo (O.)"),
        ("4331", "4331", "Middelburg (Z.)"),
        ("6191", "6191", "Beek (L.)"),
        ("6171", "6171", "Stein (L.)"),
        # neighbouring municipalities in different regions
        ("1391", "1391", "De Ronde Venen"),  # Groot Amsterdam
        ("1393", "1393", "Stichtse Vecht"),  # Midden-Utrecht
        ("2651", "2651", "Lansingerland"),  # Zuid-Holland Centraal
        ("3069", "3069", "Rotterdam"),  # Rijnmond
        ("2923", "2923", "Krimpen aan den IJssel"),  # Rijnmond
        ("2821", "2821", "Krimpenerwaard"),  # Midden-Holland
        ("2636", "2636", "Midden-Delfland"),  # Haaglanden
        ("3141", "3141", "Maassluis"),  # Rijnmond
        # full postcodes, with and without space, any case
        ("3511ab", "3511", "Utrecht"),
        ("3511 AB", "3511", "Utrecht"),
        (" 3511AB ", "3511", "Utrecht"),
    ],
)
def test_postcode_border_cases(query, pc4, municipality):
    # given
    region_code = expected_region(pc4)
    desk = Desk.objects.published().get(region__code=region_code)

    # when
    result = selectors.desk_for_postcode(query)

    # then
    assert [match.desk for match in result.matches] == [desk]
    assert result.matches[0].municipality.name == municipality
    assert f"Postcode {pc4} ligt in de gemeente {municipality}" in result.matches[0].reason
    assert result.message == ""


def test_neighbouring_postcodes_in_different_regions_get_different_desks():
    # 1391 (Abcoude, De Ronde Venen) and 1393 (Nigtevecht, Stichtse Vecht) are neighbours
    first = selectors.desk_for_postcode("1391").matches[0].desk
    second = selectors.desk_for_postcode("1393").matches[0].desk
    assert first.region.code == "AM18"
    assert second.region.code == "AM13"


@pytest.mark.parametrize("query", ["12", "abcd", "35111", "3511 ABC", "", "35 11"])
def test_invalid_postcode_asks_for_four_digits(query):
    # when
    result = selectors.desk_for_postcode(query)

    # then
    assert result.matches == []
    assert result.message == "Vul een postcode in van vier cijfers, zoals 3511."


def test_unknown_postcode_in_range_says_so():
    # given a code in the valid range that DUO does not list
    assert "1000" not in {row["postcode"] for row in postcode_rows()}

    # when
    result = selectors.desk_for_postcode("1000")

    # then
    assert result.matches == []
    assert result.message == "Postcode 1000 kennen we niet. Controleer de postcode."


# -- municipality and name search ------------------------------------------------------------


def _region_codes(query: str) -> list[str]:
    return [match.desk.region.code for match in selectors.find_desks(query).matches]


@pytest.mark.parametrize("query", ["sudwest", "Súdwest-Fryslân", "SUDWEST-FRYSLAN", "súdwest"])
def test_municipality_search_ignores_accents_and_case(query):
    # when
    result = selectors.find_desks(query)

    # then Súdwest-Fryslân is found and leads to the Friesland desk
    assert result.matches[0].desk.region.code == "AM02"
    assert result.matches[0].municipality.name == "Súdwest-Fryslân"
    assert "De gemeente Súdwest-Fryslân hoort bij regio Friesland." == result.matches[0].reason


@pytest.mark.parametrize(
    ("query", "region_code", "municipality"),
    [
        ("schiedam", "AM22", "Schiedam"),
        ("SCHIEDAM", "AM22", "Schiedam"),
        ("Schied", "AM22", "Schiedam"),  # partial
        ("hertogenbosch", "AM27", "'s-Hertogenbosch"),
        ("Laren", "AM12", "Laren (NH.)"),
        ("Hengelo", "AM05", "Hengelo (O.)"),
    ],
)
def test_municipality_search_by_name_case_and_part(query, region_code, municipality):
    result = selectors.find_desks(query)
    assert result.matches[0].desk.region.code == region_code
    assert result.matches[0].municipality.name == municipality


def test_exact_municipality_name_comes_first():
    # "Utrecht" is a municipality (Midden-Utrecht) and part of "Utrechtse Heuvelrug" too
    assert _region_codes("Utrecht")[0] == "AM13"


def test_name_shared_by_two_municipalities_gives_both_desks():
    # Bergen (L.) in Noord-Limburg and Bergen (NH.) in Noord-Holland Noord
    codes = _region_codes("Bergen")
    assert {"AM15", "AM29"} <= set(codes)


def test_find_desks_uses_the_postcode_lookup_for_postcodes():
    result = selectors.find_desks("3511 ab")
    assert [m.desk.region.code for m in result.matches] == ["AM13"]


def test_find_desks_for_unknown_name_explains():
    result = selectors.find_desks("Atlantis")
    assert result.matches == []
    assert "Geen loket gevonden voor 'Atlantis'" in result.message


def test_find_desks_ignores_unpublished_desks():
    # given Friesland's desk is taken off the website
    Desk.objects.filter(region__code="AM02").update(is_published=False)

    # when
    result = selectors.find_desks("sudwest")

    # then
    assert result.matches == []
