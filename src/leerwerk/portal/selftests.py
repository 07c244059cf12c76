"""The three self-tests: items, answer scales, scoring and the link to occupations.

All items were written for Leerwerk (original Dutch at language level B1); they are not taken
from a published instrument. The interest test uses six broad kinds of work, loosely like the
well-known "six interest types", but with its own names and items. Scoring is deliberately
simple and shown to the citizen on the result page:

    score of a theme = (sum of its answers − lowest possible sum) / (highest − lowest) × 100

so every theme gets 0–100, whatever its number of items. The themes are ranked by score (ties
keep the order below). Nothing is normed against a population: a result says what *you*
answered, not how you compare to others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from leerwerk.portal.constants import SelfTestKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise as Text
else:
    Text = str

ITEMS_PER_PAGE = 6


@dataclass(frozen=True)
class Item:
    id: str  # stable: stored in saved answers
    theme: str
    text: Text


@dataclass(frozen=True)
class Theme:
    code: str
    name: Text
    description: Text


@dataclass(frozen=True)
class SelfTest:
    kind: str
    title: Text
    question: Text  # the question above every item
    intro: Text
    scale: tuple[tuple[int, Text], ...]
    themes: tuple[Theme, ...]
    items: tuple[Item, ...]

    @property
    def pages(self) -> int:
        return (len(self.items) + ITEMS_PER_PAGE - 1) // ITEMS_PER_PAGE

    def page_items(self, page: int) -> tuple[Item, ...]:
        start = (page - 1) * ITEMS_PER_PAGE
        return self.items[start : start + ITEMS_PER_PAGE]

    @property
    def values(self) -> set[int]:
        return {value for value, _label in self.scale}

    def theme(self, code: str) -> Theme:
        return next(t for t in self.themes if t.code == code)


def _items(prefix: str, rows: Sequence[tuple[str, Text]]) -> tuple[Item, ...]:
    return tuple(Item(f"{prefix}{n:02d}", theme, text) for n, (theme, text) in enumerate(rows, 1))


# -- wat vind ik leuk? (interests) ---------------------------------------------------------------

INTEREST_THEMES = (
    Theme(
        "doen", _("Met je handen werken"), _("Maken, bouwen, repareren, buiten of met machines.")
    ),
    Theme(
        "onderzoeken",
        _("Uitzoeken"),
        _("Dingen uitzoeken, problemen oplossen, leren hoe iets werkt."),
    ),
    Theme("creeren", _("Creatief zijn"), _("Iets nieuws bedenken, vormgeven, schrijven of maken.")),
    Theme(
        "helpen", _("Mensen helpen"), _("Zorgen, uitleggen, begeleiden en er zijn voor anderen.")
    ),
    Theme(
        "regelen",
        _("Regelen en overtuigen"),
        _("Leiding geven, verkopen, ondernemen en beslissen."),
    ),
    Theme(
        "ordenen", _("Ordenen"), _("Werken met gegevens, lijsten en afspraken, netjes en precies.")
    ),
)
# Four items per theme, mixed so the same theme never comes twice in a row.
_INTEREST_ROWS = [
    ("doen", _("Een kapotte fiets of kast repareren.")),
    ("onderzoeken", _("Uitzoeken waarom een apparaat het niet meer doet.")),
    ("creeren", _("Een poster of uitnodiging ontwerpen.")),
    ("helpen", _("Iemand helpen die ziek is of hulp nodig heeft.")),
    ("regelen", _("Een groep mensen leiden bij een klus.")),
    ("ordenen", _("Een rommelige kast of map netjes indelen.")),
    ("doen", _("Buiten werken, ook als het koud is of regent.")),
    ("onderzoeken", _("Lezen of kijken hoe iets in de natuur of techniek werkt.")),
    ("creeren", _("Een verhaal, tekst of liedje schrijven.")),
    ("helpen", _("Iemand iets nieuws leren, stap voor stap.")),
    ("regelen", _("Iemand overtuigen van je idee.")),
    (
        "ordenen",
        _("Bijhouden wat er binnenkomt en wat er weggaat, in een lijst of op de computer."),
    ),
    ("doen", _("Met gereedschap of een machine iets bouwen.")),
    ("onderzoeken", _("Een moeilijke puzzel of rekensom oplossen.")),
    ("creeren", _("Een ruimte mooi inrichten of versieren.")),
    ("helpen", _("Luisteren naar iemand die een probleem heeft.")),
    ("regelen", _("Iets verkopen aan een klant.")),
    ("ordenen", _("Controleren of cijfers en gegevens kloppen.")),
    ("doen", _("Met planten, dieren of voedsel werken.")),
    ("onderzoeken", _("Proeven doen of metingen uitvoeren.")),
    ("creeren", _("Foto's of filmpjes maken en bewerken.")),
    ("helpen", _("Kinderen of ouderen begeleiden.")),
    ("regelen", _("Een eigen bedrijf of project opzetten.")),
    ("ordenen", _("Een planning maken en zorgen dat iedereen zich eraan houdt.")),
]

# -- wat vind ik belangrijk? (work values) -------------------------------------------------------

VALUE_THEMES = (
    Theme(
        "zekerheid", _("Zekerheid"), _("Een vaste baan, een vast inkomen en duidelijke afspraken.")
    ),
    Theme("samen", _("Samenwerken"), _("Werken in een team, met collega's om je heen.")),
    Theme("vrijheid", _("Zelfstandigheid"), _("Zelf bepalen hoe en wanneer je je werk doet.")),
    Theme("afwisseling", _("Afwisseling"), _("Elke dag iets anders, nieuwe mensen en plekken.")),
    Theme(
        "betekenis", _("Iets betekenen"), _("Werk dat nuttig is voor anderen of voor de wereld.")
    ),
    Theme("groei", _("Groeien"), _("Blijven leren, verder komen en meer verdienen.")),
)
_VALUE_ROWS = [
    ("zekerheid", _("Een vast contract.")),
    ("samen", _("Fijne collega's met wie ik samen iets doe.")),
    ("vrijheid", _("Zelf mijn werk kunnen indelen.")),
    ("afwisseling", _("Werk waarbij geen dag hetzelfde is.")),
    ("betekenis", _("Werk waarmee ik andere mensen help.")),
    ("groei", _("Kansen om door te groeien naar een hogere functie.")),
    ("zekerheid", _("Vaste werktijden, zodat ik weet waar ik aan toe ben.")),
    ("samen", _("Samen met anderen een probleem oplossen.")),
    ("vrijheid", _("Zelf beslissingen nemen, zonder dat iemand meekijkt.")),
    ("afwisseling", _("Op verschillende plekken werken.")),
    ("betekenis", _("Werk dat goed is voor de natuur of de buurt.")),
    ("groei", _("Cursussen en opleidingen kunnen volgen via mijn werk.")),
    ("zekerheid", _("Een baan die ik over vijf jaar nog heb.")),
    ("samen", _("Een baas die mij helpt en steunt.")),
    ("vrijheid", _("Thuis of op een plek naar keuze kunnen werken.")),
    ("afwisseling", _("Steeds nieuwe klussen en nieuwe mensen.")),
    ("betekenis", _("Trots zijn op wat ik maak of doe.")),
    ("groei", _("Een goed salaris dat groeit als ik meer kan.")),
]

# -- wat kan ik? (skills self-assessment) --------------------------------------------------------

SKILL_THEMES = (
    Theme("taal", _("Nederlandse taal"), _("Lezen, schrijven en praten in het Nederlands.")),
    Theme("rekenen", _("Rekenen"), _("Rekenen met geld, maten en tijden.")),
    Theme(
        "digitaal", _("Computer en internet"), _("Werken met een computer, telefoon en internet.")
    ),
    Theme("contact", _("Contact met mensen"), _("Uitleggen, luisteren en samenwerken.")),
    Theme("plannen", _("Plannen en organiseren"), _("Je werk en tijd goed indelen.")),
    Theme(
        "techniek", _("Handig en technisch"), _("Met gereedschap, apparaten en materialen werken.")
    ),
)
_SKILL_ROWS = [
    ("taal", _("Een brief of e-mail van een bedrijf lezen en begrijpen.")),
    ("rekenen", _("Uitrekenen hoeveel wisselgeld iemand terugkrijgt.")),
    ("digitaal", _("Een bestand opslaan en het weer terugvinden op de computer.")),
    ("contact", _("Aan een klant uitleggen hoe iets werkt.")),
    ("plannen", _("Een week vooruit plannen wat ik moet doen.")),
    ("techniek", _("Een lamp of een kraan vervangen.")),
    ("taal", _("Een kort verslag of bericht schrijven zonder veel fouten.")),
    ("rekenen", _("Werken met procenten, zoals korting of btw.")),
    ("digitaal", _("Op internet een formulier invullen en versturen.")),
    ("contact", _("Rustig blijven als iemand boos op mij is.")),
    ("plannen", _("Op tijd zijn en afspraken nakomen.")),
    ("techniek", _("Een bouwtekening of handleiding volgen.")),
    ("taal", _("In een gesprek vertellen wat ik vind en waarom.")),
    ("rekenen", _("Een tabel of grafiek lezen.")),
    ("digitaal", _("Met een programma voor tekst of rekenen werken, zoals Word of Excel.")),
    ("contact", _("Met collega's samenwerken aan één klus.")),
    ("plannen", _("Meerdere taken tegelijk overzien en kiezen wat eerst moet.")),
    ("techniek", _("Veilig werken met elektrisch gereedschap.")),
]

TESTS: dict[str, SelfTest] = {
    SelfTestKind.INTERESTS: SelfTest(
        kind=SelfTestKind.INTERESTS,
        title=_("Wat vind ik leuk?"),
        question=_("Hoe leuk vindt u dit?"),
        intro=_(
            "U leest 24 korte zinnen over werk. Geef bij elke zin aan hoe leuk u dat vindt. "
            "Er zijn geen goede of foute antwoorden. Het duurt ongeveer 5 minuten."
        ),
        scale=((1, _("Niet leuk")), (2, _("Een beetje leuk")), (3, _("Leuk")), (4, _("Heel leuk"))),
        themes=INTEREST_THEMES,
        items=_items("i", _INTEREST_ROWS),
    ),
    SelfTestKind.VALUES: SelfTest(
        kind=SelfTestKind.VALUES,
        title=_("Wat vind ik belangrijk in werk?"),
        question=_("Hoe belangrijk vindt u dit in uw werk?"),
        intro=_(
            "U leest 18 zinnen over wat werk u kan geven. Geef aan hoe belangrijk u dat vindt. "
            "Het duurt ongeveer 4 minuten."
        ),
        scale=(
            (1, _("Niet belangrijk")),
            (2, _("Een beetje belangrijk")),
            (3, _("Belangrijk")),
            (4, _("Heel belangrijk")),
        ),
        themes=VALUE_THEMES,
        items=_items("w", _VALUE_ROWS),
    ),
    SelfTestKind.SKILLS: SelfTest(
        kind=SelfTestKind.SKILLS,
        title=_("Wat kan ik?"),
        question=_("Hoe goed kunt u dit?"),
        intro=_(
            "U leest 18 dingen die je in werk vaak nodig hebt. Geef eerlijk aan hoe goed u "
            "dat kunt. Het duurt ongeveer 4 minuten."
        ),
        scale=(
            (1, _("Dat kan ik niet")),
            (2, _("Dat kan ik een beetje")),
            (3, _("Dat kan ik goed")),
            (4, _("Dat kan ik heel goed")),
        ),
        themes=SKILL_THEMES,
        items=_items("v", _SKILL_ROWS),
    ),
}


def get_test(kind: str) -> SelfTest:
    return TESTS[kind]


# -- scoring -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeScore:
    code: str
    name: str
    description: str
    items: int
    total: int  # sum of the answers
    minimum: int
    maximum: int
    score: int  # 0-100

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "total": self.total, "items": self.items, "score": self.score}


def clean_answers(test: SelfTest, answers: dict[str, Any]) -> dict[str, int]:
    """Only known item ids with a value on the scale; everything else is dropped."""
    known = {item.id for item in test.items}
    values = test.values
    cleaned: dict[str, int] = {}
    for key, value in answers.items():
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if key in known and number in values:
            cleaned[key] = number
    return cleaned


def is_complete(test: SelfTest, answers: dict[str, int]) -> bool:
    return all(item.id in answers for item in test.items)


def score(test: SelfTest, answers: dict[str, int]) -> list[ThemeScore]:
    """Per theme the sum and the 0–100 score, highest first (ties keep the theme order)."""
    low, high = min(test.values), max(test.values)
    scores = []
    for theme in test.themes:
        given = [answers[item.id] for item in test.items if item.theme == theme.code]
        count = len([item for item in test.items if item.theme == theme.code])
        total = sum(given)
        minimum, maximum = count * low, count * high
        value = round((total - minimum) * 100 / (maximum - minimum)) if given else 0
        scores.append(
            ThemeScore(
                code=theme.code,
                name=str(theme.name),
                description=str(theme.description),
                items=count,
                total=total,
                minimum=minimum,
                maximum=maximum,
                score=max(0, min(100, value)),
            )
        )
    order = {theme.code: index for index, theme in enumerate(test.themes)}
    return sorted(scores, key=lambda s: (-s.score, order[s.code]))


# -- interests → occupations ---------------------------------------------------------------------

#: Interest theme → ISCO-08 sub-major groups (2 digits; the first digit is the major group).
#: A small, documented judgement (docs/portal.md), not a validated instrument: it points to
#: kinds of work worth exploring. Labels from ESCO v1.2.0 (shared/data/esco).
INTEREST_TO_ISCO: dict[str, tuple[str, ...]] = {
    "doen": ("71", "72", "74", "61", "83"),
    "onderzoeken": ("21", "25", "31", "35"),
    "creeren": ("26", "73", "75", "34"),
    "helpen": ("22", "23", "32", "53", "51"),
    "regelen": ("12", "14", "52", "24"),
    "ordenen": ("33", "41", "43", "44"),
}
ISCO_LABELS: dict[str, str] = {
    "12": "Leidinggevende functies op administratief en commercieel gebied",
    "14": "Leidinggevende functies in het hotel- en restaurantwezen, in de detail- en "
    "groothandel en op het gebied van andere diensten",
    "21": "Wetenschappers en ingenieurs",
    "22": "Specialisten op het gebied van de gezondheidszorg",
    "23": "Onderwijsgevenden",
    "24": "Specialisten op het gebied van bedrijfsbeheer en administratie",
    "25": "Specialisten op het gebied van informatie- en communicatietechnologie",
    "26": "Juristen, sociaal-wetenschappers en scheppende en uitvoerende kunstenaars",
    "31": "Vakspecialisten op het gebied van wetenschap en techniek",
    "32": "Vakspecialisten op het gebied van de gezondheidszorg",
    "33": "Vakspecialisten op het gebied van bedrijfsbeheer en administratie",
    "34": "Vakspecialisten op juridisch, maatschappelijk en cultureel gebied",
    "35": "Technici op het gebied van informatie en communicatie",
    "41": "Administratieve medewerkers",
    "43": "Boekhoudkundige medewerkers en voorraadbeheerders",
    "44": "Ander administratief personeel",
    "51": "Verleners persoonlijke diensten",
    "52": "Verkopers",
    "53": "Verzorgend personeel",
    "61": "Voor de markt producerende geschoolde landbouwers",
    "71": "Bouwarbeiders, m.u.v. elektriciens",
    "72": "Metaalarbeiders, machinemonteurs e.d.",
    "73": "Ambachtslieden en drukkerijmedewerkers",
    "74": "Elektriciens en elektronicamonteurs",
    "75": "Voedselverwerkende beroepen, houtwerkers, kleermakers en andere ambachtslieden",
    "83": "Bestuurders van voertuigen en bedieningspersoneel van mobiele installaties",
}
#: How many top interest themes count for the occupation suggestions.
TOP_THEMES = 2


def isco_groups_for(scores: list[ThemeScore]) -> list[str]:
    """The ISCO sub-major groups of the top interest themes, in order, without repeats."""
    groups: list[str] = []
    for theme_score in scores[:TOP_THEMES]:
        for code in INTEREST_TO_ISCO.get(theme_score.code, ()):
            if code not in groups:
                groups.append(code)
    return groups
