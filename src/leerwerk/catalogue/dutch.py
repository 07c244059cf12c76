"""Dutch text handling for catalogue search, the same on PostgreSQL and SQLite.

PostgreSQL's ``dutch`` text-search configuration splits a text with its default parser, drops
the Snowball Dutch stop words and stems every word with the Snowball Dutch stemmer; words with
digits are kept as they are (the ``simple`` dictionary). This module does the same in Python
with the ``snowballstemmer`` package (pinned below 3: Snowball 3 replaced the Dutch algorithm,
PostgreSQL 15–17 ship the older one), so the SQLite fallback finds exactly what PostgreSQL
finds, and the query side is stemmed once, here, for both databases.

What the PostgreSQL parser keeps whole (paths like ``BOL/BBL``, hosts like ``www.roc.nl``,
e-mail addresses, URLs, decimals) stays one lexeme here too: a search for ``bol`` finds
``BOL/BBL`` (as a prefix), ``bbl`` does not, on either database. The tests compare both.

``trigram_similarity`` is pg_trgm's ``similarity()``: words padded with two spaces in front
and one behind, the set of three-letter pieces, shared pieces over all pieces.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

# PostgreSQL's tsearch_data/dutch.stop (the Snowball Dutch stop list, BSD licence).
STOP_WORDS = frozenset(
    """de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar
    om hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar
    naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al
    waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd
    altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest
    andere""".split()
)

# Tokens the PostgreSQL parser keeps whole: URLs, e-mail addresses, paths, hosts, decimals.
_WHOLE_TOKENS = re.compile(
    r"\S*[/@\\]\S*"  # url, email, file path (BOL/BBL)
    r"|[^\W_]+(?:[.][^\W_]+)+",  # host (www.roc.nl), version, decimal 2.5
)
_WORD = re.compile(r"[^\W_]+")
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"</?[a-z][^<>]*>", re.IGNORECASE)
_PROTOCOL = re.compile(r"^[a-z][a-z0-9+.-]*://")
_PUNCTUATION = "([{<'\"“‘"
DIGIT_RE = re.compile(r"\d")
MAX_QUERY_WORDS = 8
MAX_WORD_LENGTH = 60


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("dutch")


@lru_cache(maxsize=50_000)
def lexeme(word: str) -> str | None:
    """The search form of one lowercase word: None for a stop word, the word itself when it
    holds a digit, else its Dutch stem."""
    if word in STOP_WORDS:
        return None
    if DIGIT_RE.search(word):
        return word
    return str(_stemmer().stemWord(word))


def _without_tags(text: str) -> str:
    """PostgreSQL's parser skips markup tags and everything inside script and style tags."""
    return _TAG.sub(" ", _SCRIPT.sub(" ", text))


def words(text: str) -> list[str]:
    """The lowercase words of a text as PostgreSQL's parser sees them (see the module doc)."""
    return _WORD.findall(_WHOLE_TOKENS.sub(" ", _without_tags(text.lower())))


def whole_tokens(text: str) -> list[str]:
    """The tokens PostgreSQL keeps whole (``mig/mag``, ``www.roc.nl``, ``2.5``), lowercase and
    without a leading protocol or punctuation: they are lexemes as they are, and a query word
    can be their prefix."""
    found = []
    for token in _WHOLE_TOKENS.findall(_without_tags(text.lower())):
        token = _PROTOCOL.sub("", token).lstrip(_PUNCTUATION)
        if token:
            found.append(token)
    return found


def lexemes(text: str) -> set[str]:
    """The set of lexemes of a document (what ``to_tsvector('dutch', text)`` holds, as far as a
    query of plain words can tell)."""
    found = {lx for word in words(text) if (lx := lexeme(word))}
    found.update(whole_tokens(text))
    return found


def query_terms(query: str) -> list[tuple[str, str]]:
    """The (word, lexeme) pairs of a search query, stop words left out, at most
    ``MAX_QUERY_WORDS``, each word at most ``MAX_WORD_LENGTH`` characters, no repeats."""
    seen: set[str] = set()
    terms: list[tuple[str, str]] = []
    for word in _WORD.findall(query.lower()):
        word = word[:MAX_WORD_LENGTH]
        found = lexeme(word)
        if found and found not in seen:
            seen.add(found)
            terms.append((word, found))
        if len(terms) >= MAX_QUERY_WORDS:
            break
    return terms


def alternatives(term: str) -> list[str]:
    """The prefixes one query term may match: its lexeme, and the word itself when that
    differs (a half-typed word: "verpleeg" stems to "verpleg", which no full word's stem
    starts with). Terms are "word|lexeme" strings (see ``query_lexemes``). A word that starts
    with its lexeme adds nothing ("opleiding" with "opleid"): every word it is a prefix of
    starts with the lexeme too, and each extra prefix costs PostgreSQL a second read of the
    text index and a second test of every row it returns."""
    word, bar, lexeme_ = term.partition("|")
    return [lexeme_, word] if bar and not word.startswith(lexeme_) else [lexeme_ or word]


def query_lexemes(query: str) -> list[str]:
    """The terms of a query for ``tsquery``/``matches``: "lexeme", or "word|lexeme" when the
    word is not its own lexeme."""
    return [lx if lx == word else f"{word}|{lx}" for word, lx in query_terms(query)]


def tsquery(terms: list[str]) -> str:
    """A ``to_tsquery('simple', …)`` string: every term as a prefix (or its alternatives), all
    required. Terms only hold letters and digits, so quoting them is enough."""
    parts = []
    for term in terms:
        options = [f"'{prefix}':*" for prefix in alternatives(term)]
        parts.append(options[0] if len(options) == 1 else f"({' | '.join(options)})")
    return " & ".join(parts)


def matches(document_lexemes: set[str], terms: list[str]) -> bool:
    """Whether every term is a prefix of some document lexeme (``'stem':*`` in SQL)."""
    return all(
        any(lx.startswith(prefix) for prefix in alternatives(term) for lx in document_lexemes)
        for term in terms
    )


def like_pattern(lexeme_: str) -> str:
    """A LIKE pattern that every text containing a word with this lexeme matches (SQLite's
    prefilter): stemming only cuts the end of a word and folds accents (ë → e), so vowels and
    non-ASCII letters become ``_`` (any one character)."""
    return "%" + "".join("_" if ch in "aeiouy" or not ch.isascii() else ch for ch in lexeme_) + "%"


# -- trigram similarity (pg_trgm) ------------------------------------------------------------


def trigrams(text: str) -> set[str]:
    result: set[str] = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        result.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return result


def trigram_similarity(a: str, b: str) -> float:
    left, right = trigrams(a), trigrams(b)
    if not left or not right:
        return 0.0
    shared = len(left & right)
    return shared / (len(left) + len(right) - shared)
