"""The Dutch text handling in Python (SQLite fallback, query side) against PostgreSQL's own
``dutch`` configuration and pg_trgm: the same lexemes, the same matches, the same similarity."""

from __future__ import annotations

import pytest
from django.db import connection

from leerwerk.catalogue import dutch

TEXTS = [
    "Verpleegkundige niveau 4 (BOL/BBL) bij ROC Zadkine, www.zadkine.nl",
    "Opleidingen voor de kinderopvang: pedagogisch medewerker, 2,5 jaar",
    "Cursus heftruckchauffeur – incl. examen; info@roc.nl of https://www.roc.nl/opleiding",
    "Financiële administratie en ICT-beheerder, 3D-printen en e-mailmarketing",
    "Lasser MIG/MAG; verzorgende IG; café-medewerker; über_cool; Leidinggevende",
    "Beveiliger <script>alert(1)</script> & 'Schilderen' \"buitenschilder\"",
    "Medewerkers logistiek werken in magazijnen, distributiecentra en havens",
]
STEM_WORDS = (
    "opleiding opleidingen verpleegkundige verpleegkunde verzorgende medewerker medewerkers "
    "kinderopvang logistiek financiële beveiliging ict cursussen lassen lasser schilderen "
    "leidinggevende chauffeurs bakkerij bakken assistent assistenten zorg zorgt werken"
).split()
QUERIES = [
    "verpleeg",
    "bol",
    "bbl",
    "mig",
    "mag",
    "www",
    "zadkine",
    "info",
    "https",
    "roc",
    "opleiding",
    "2",
    "5",
    "3d",
    "printen",
    "mail",
    "financieel",
    "financiële",
    "ict beheerder",
    "cafe",
    "uber",
    "cool",
    "script",
    "alert",
    "medewerkers",
    "havens",
    "leidinggevende",
    "de",
]


def test_query_terms_drop_stop_words_repeats_and_punctuation():
    assert dutch.query_terms("De opleidingen, opleiding & de <b>zorg</b>!") == [
        ("opleidingen", "opleid"),
        ("b", "b"),
        ("zorg", "zorg"),
    ]
    assert dutch.query_terms("de het een") == []
    assert len(dutch.query_terms(" ".join(f"woord{i}" for i in range(20)))) == 8


def test_stemming_pairs_meet():
    for left, right in [
        ("opleiding", "opleidingen"),
        ("verpleegkundige", "verpleegkunde"),
        ("medewerker", "medewerkers"),
        ("assistent", "assistenten"),
    ]:
        assert dutch.lexeme(left) == dutch.lexeme(right)


def test_tsquery_is_quoted_prefixes_with_the_typed_word_as_an_alternative():
    assert dutch.query_lexemes("opleidingen zorg") == ["opleidingen|opleid", "zorg"]
    # "opleidingen" starts with its lexeme: every word it is a prefix of, "opleid" is too
    assert dutch.tsquery(dutch.query_lexemes("opleidingen zorg")) == "'opleid':* & 'zorg':*"
    # a half-typed word stems to something no full word's stem starts with
    assert dutch.lexeme("verpleeg") == "verpleg"
    assert dutch.query_lexemes("verpleeg") == ["verpleeg|verpleg"]
    assert dutch.tsquery(dutch.query_lexemes("verpleeg")) == "('verpleg':* | 'verpleeg':*)"
    assert dutch.matches({"verpleegkund"}, dutch.query_lexemes("verpleeg"))


def test_like_pattern_survives_folded_accents():
    assert dutch.like_pattern("financiel") == "%f_n_nc__l%"


def test_trigram_similarity_is_pg_trgm_similarity():
    assert dutch.trigram_similarity("kat", "kat") == 1.0
    # "  kat" pieces: "  k", " ka", "kat", "at " (4); "kas": "  k", " ka", "kas", "as " (4)
    assert dutch.trigram_similarity("kat", "kas") == pytest.approx(2 / 6)
    assert dutch.trigram_similarity("", "kat") == 0.0


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="compares with PostgreSQL itself"
)


@postgresql_only
@pytest.mark.django_db
def test_python_stems_are_postgresql_stems():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, (ts_lexize('dutch_stem', w))[1] FROM unnest(%s::text[]) AS w", [STEM_WORDS]
        )
        postgresql = dict(cursor.fetchall())
    assert {word: dutch.lexeme(word) for word in STEM_WORDS} == postgresql


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize("text", TEXTS)
def test_python_matches_what_postgresql_matches(text):
    with connection.cursor() as cursor:
        for query in QUERIES:
            lexemes = dutch.query_lexemes(query)
            if not lexemes:
                continue
            cursor.execute(
                "SELECT to_tsvector('dutch', %s) @@ to_tsquery('simple', %s)",
                [text, dutch.tsquery(lexemes)],
            )
            (postgresql,) = cursor.fetchone()
            assert dutch.matches(dutch.lexemes(text), lexemes) == postgresql, (text, query)


@postgresql_only
@pytest.mark.django_db
def test_python_similarity_is_postgresql_similarity():
    pairs = [
        ("verplegkundige", "verpleegkundige"),
        ("kinderopvnag", "kinderopvang"),
        ("heftruck", "heftruckchauffeur"),
        ("lasr", "lasser"),
        ("zorg", "logistiek"),
    ]
    with connection.cursor() as cursor:
        for left, right in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [left, right])
            (postgresql,) = cursor.fetchone()
            assert dutch.trigram_similarity(left, right) == pytest.approx(postgresql, abs=1e-6)
