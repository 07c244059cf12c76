"""Citizens on the public portal: the load test of issue 7, item 10.

Run it through ``leerwerk loadtest`` (which writes the plan, starts gunicorn and summarises),
or by hand against a running server:

    leerwerk loadtest --plan-only                       # writes var/loadtest/plan.json
    locust -f loadtest/locustfile.py --host http://127.0.0.1:8000 --plan var/loadtest/plan.json

The plan (``leerwerk.portal.loadtest.build_plan``) holds every URL, reversed from the URL names
of the apps and read from the database (desk slugs, event and offer UUIDs), and the request
names per page group. This file knows no ids and no paths, only the journey.

Every simulated citizen waits 1 to 3 seconds between two tasks (a person reading a page is
slower; this is a busy hour). A task is one page, or a short journey (a self-test: start,
answer every page, see the result; the funding wizard: questions, then the answer). On average
a task takes 1.4 requests, so 50 users make about 50 × 1.4 ÷ 2 s ≈ 35 requests per second.

Every response is checked: status 200 (302 after a form post) and a Dutch text the page must
show; anything else counts as a failure. Nothing is booked and no request is sent: the booking
page only lists free times, and the advice and call-back forms are only opened.

``--sweep`` makes every user visit each page group once before the weighted mix (the test uses
it, so a broken page group is always hit).
"""

from __future__ import annotations

import json
import os
import random
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from locust import events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.user.wait_time import between

DEFAULT_PLAN = os.environ.get("LEERWERK_LOADTEST_PLAN", "var/loadtest/plan.json")
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 (Leerwerk-loadtest)"
)

# Texts the pages show whatever the data (Dutch source strings of the templates).
TEXT_HOME = "Welk loket is van mij?"
TEXT_DESK_HOME = "Waar vindt u ons?"
TEXT_EVENTS = "Activiteiten van"
TEXT_ALL_EVENTS = "Activiteiten van alle leerwerkloketten"
TEXT_SELFTESTS = "Zelftesten"
TEXT_SELFTEST_START = "Start de test"
TEXT_SELFTEST_PAGE = "Deel "
TEXT_SELFTEST_RESULT = "Uw scores"
TEXT_SEARCH = "Opleidingen zoeken"
TEXT_SEARCH_REGIONAL = "Opleidingen in de regio"
TEXT_FUNDING = "Geld voor een opleiding of cursus"
TEXT_FUNDING_ANSWER = "Uw uitkomst"
TEXT_OPPORTUNITIES = "Kansberoepen en opleidingen in"
TEXT_SLOTS = "Maak een afspraak"
TEXT_ADVICE_FORM = "Stel uw vraag"
TEXT_CALLBACK_FORM = "Bel mij terug"


@events.init_command_line_parser.add_listener
def _arguments(parser: Any) -> None:
    parser.add_argument("--plan", default=DEFAULT_PLAN, help="JSON written by leerwerk loadtest")
    parser.add_argument(
        "--sweep", action="store_true", default=False, help="visit every page group once first"
    )


_PLAN: dict[str, Any] = {}


def plan_from(path: str) -> dict[str, Any]:
    if not _PLAN:
        _PLAN.update(json.loads(Path(path).read_text(encoding="utf-8")))
    return _PLAN


class PostForm(HTMLParser):
    """The first ``<form method="post">`` of a page: its action and controls."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action: str | None = None
        self.hidden: list[tuple[str, str]] = []
        self.choices: dict[str, list[str]] = {}  # radio groups and selects: name → values
        self.checkboxes: dict[str, list[str]] = {}
        self.text: list[str] = []  # names of text-like inputs
        self._in_form = self._done = False
        self._select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form" and not self._done and attr.get("method", "").lower() == "post":
            self._in_form, self.action = True, attr.get("action", "")
        if not self._in_form:
            return
        name = attr.get("name", "")
        if tag == "input" and name:
            kind = attr.get("type", "text").lower()
            if kind == "hidden":
                self.hidden.append((name, attr.get("value", "")))
            elif kind == "radio":
                self.choices.setdefault(name, []).append(attr.get("value", ""))
            elif kind == "checkbox":
                self.checkboxes.setdefault(name, []).append(attr.get("value", "on"))
            elif kind not in ("submit", "button", "reset", "file"):
                self.text.append(name)
        elif tag == "select" and name:
            self._select = name
            self.choices.setdefault(name, [])
        elif tag == "option" and self._select:
            self.choices[self._select].append(attr.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True

    def fill(self, text: dict[str, str], *, skip_empty: bool = True) -> list[tuple[str, str]]:
        """Hidden fields as they are, one random option per radio group and select (an empty
        option only when there is nothing else), a random checkbox per group, and the given
        text fields."""
        data = list(self.hidden)
        for name, values in self.choices.items():
            options = [value for value in values if value] if skip_empty else values
            if options:
                data.append((name, random.choice(options)))
        for name, values in self.checkboxes.items():
            data.append((name, random.choice(values)))
        data.extend((name, text[name]) for name in self.text if name in text)
        return data


def _location(response: Any) -> str:
    headers = response.headers or {}
    return headers.get("Location") or headers.get("location") or ""


class Citizen(FastHttpUser):
    wait_time = between(1, 3)
    network_timeout = 30.0
    connection_timeout = 10.0
    default_headers = {"User-Agent": BROWSER, "Accept-Language": "nl-NL,nl;q=0.9"}

    def on_start(self) -> None:
        self.plan = plan_from(self.environment.parsed_options.plan)
        self.names: dict[str, str] = self.plan["names"]
        if getattr(self.environment.parsed_options, "sweep", False):
            # The sweep is this user's first task (a running task may finish when the test
            # ends; on_start would be cut off), then the weighted mix takes over.
            self.tasks = [Citizen.sweep]

    def sweep(self) -> None:
        for journey in SWEEP:
            journey(self)
        del self.tasks  # back to the weighted tasks of the class

    # -- helpers --------------------------------------------------------------------------------

    def page(self, url: str, group: str, *expect: str, headers: dict | None = None) -> str | None:
        """GET a page; it must answer 200 and show every text in ``expect``."""
        with self.client.get(
            url,
            name=self.names[group],
            headers=headers,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return None
            html = response.text or ""
            missing = [text for text in expect if text not in html]
            if missing:
                response.failure(f"tekst ontbreekt: {missing[0]!r}")
                return None
            response.success()
            return html

    def post(self, url: str, group: str, data: list[tuple[str, str]], *, expect: str = "") -> Any:
        """POST a form. With ``expect`` the answer is a page (200) showing it; without, a
        redirect (302) whose target is returned."""
        with self.client.post(
            url,
            data=urlencode(data),
            name=self.names[group],
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"{self.host}{url}",  # checked by Django's CSRF on HTTPS
            },
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if expect:
                if response.status_code != 200 or expect not in (response.text or ""):
                    response.failure(f"status {response.status_code} of tekst ontbreekt")
                    return None
                response.success()
                return response.text
            target = _location(response)
            if response.status_code != 302 or not target:
                response.failure(f"status {response.status_code}, geen doorverwijzing")
                return None
            response.success()
            return target

    def desk(self) -> dict[str, Any]:
        return random.choice(self.plan["desks"])

    # -- the pages ------------------------------------------------------------------------------

    @task(10)
    def national_home(self) -> None:
        self.page(self.plan["home"], "home", TEXT_HOME)

    @task(5)
    def find_desk(self) -> None:
        postcode = random.choice(self.plan["postcodes"])
        url = f"{self.plan['home']}?{urlencode({'q': postcode['q']})}"
        # With JavaScript the search box asks for the results only (htmx); without, the page.
        if random.random() < 0.5:
            self.page(url, "find_desk", postcode["expect"], headers={"HX-Request": "true"})
        else:
            self.page(url, "find_desk", postcode["expect"], TEXT_HOME)

    @task(15)
    def desk_home(self) -> None:
        desk = self.desk()
        self.page(desk["home"], "desk_home", desk["name"], TEXT_DESK_HOME)

    @task(4)
    def desk_events(self) -> None:
        desk = self.desk()
        self.page(desk["events"], "desk_events", TEXT_EVENTS, desk["name"])

    @task(3)
    def event(self) -> None:
        with_events = [desk for desk in self.plan["desks"] if desk["event_pages"]]
        if not with_events:  # no events in this database: the list page stands in
            self.desk_events()
            return
        event = random.choice(random.choice(with_events)["event_pages"])
        self.page(event["url"], "event", event["expect"])

    @task(1)
    def all_events(self) -> None:
        self.page(self.plan["all_events"], "all_events", TEXT_ALL_EVENTS)

    @task(2)
    def selftest_index(self) -> None:
        url = self.desk()["selftests"] if random.random() < 0.5 else self.plan["selftests"]
        self.page(url, "selftest_index", TEXT_SELFTESTS)

    @task(3)
    def selftest(self) -> None:
        """Start a self-test, answer every page, read the result (about 10 requests)."""
        intro = random.choice(self.plan["selftest_intros"])
        html = self.page(intro["url"], "selftest_intro", intro["expect"], TEXT_SELFTEST_START)
        if html is None:
            return
        url = self.post(intro["url"], "selftest_start", PostForm(html).fill({}))
        for _page in range(20):  # a test has 3 or 4 pages; never loop forever
            if url is None or "uitslag" in url:
                break
            html = self.page(url, "selftest_page", TEXT_SELFTEST_PAGE)
            if html is None:
                return
            url = self.post(url, "selftest_answer", [*PostForm(html).fill({}), ("actie", "verder")])
        if url is not None:
            self.page(url, "selftest_result", TEXT_SELFTEST_RESULT)

    @task(6)
    def search(self) -> None:
        self.page(
            f"{self.plan['search']['url']}?{urlencode(self.search_params())}",
            "search",
            TEXT_SEARCH,
        )

    @task(6)
    def search_regional(self) -> None:
        desk = self.desk()
        self.page(
            f"{desk['search']}?{urlencode(self.search_params())}",
            "search_regional",
            TEXT_SEARCH_REGIONAL,
            desk["region"],
        )

    def search_params(self) -> list[tuple[str, str]]:
        """A query as citizens make them: words, sometimes a filter, a place or page 2."""
        search = self.plan["search"]
        filters = search["filters"]
        words = random.choice(search["queries"])
        postcode = random.choice(self.plan["postcodes"])["q"]
        draw = random.random()
        if draw < 0.40:
            return [("q", words)]
        if draw < 0.60:
            return [("q", words), ("niveau", random.choice(filters["niveau"]))]
        if draw < 0.75:
            return [("q", words), ("postcode", postcode), ("afstand", random.choice(["10", "25"]))]
        if draw < 0.85:
            return [("q", words), ("leerweg", random.choice(filters["leerweg"]))]
        if draw < 0.93:
            return [("q", words), ("pagina", "2")]
        return [("postcode", postcode), ("afstand", "10")]  # browsing what is near

    @task(5)
    def offer(self) -> None:
        if not self.plan["offers"]:  # an empty catalogue: the search stands in
            self.search()
            return
        offer = random.choice(self.plan["offers"])
        self.page(offer["url"], "offer", offer["expect"])

    @task(4)
    def funding(self) -> None:
        """The wizard: the questions, then the answer for a random situation."""
        url = self.desk()["funding"] if random.random() < 0.5 else self.plan["funding"]
        html = self.page(url, "funding", TEXT_FUNDING)
        if html is None:
            return
        text = {
            "age": str(random.randint(18, 66)),
            "postcode": random.choice(self.plan["postcodes"])["q"],
        }
        self.post(url, "funding_answer", PostForm(html).fill(text), expect=TEXT_FUNDING_ANSWER)

    @task(3)
    def opportunities(self) -> None:
        desk = self.desk()
        self.page(desk["opportunities"], "opportunities", TEXT_OPPORTUNITIES, desk["region"])

    @task(3)
    def slots(self) -> None:
        self.page(self.desk()["slots"], "slots", TEXT_SLOTS)

    @task(2)
    def advice_form(self) -> None:
        self.page(self.desk()["advice_form"], "advice_form", TEXT_ADVICE_FORM)

    @task(2)
    def callback_form(self) -> None:
        self.page(self.desk()["callback_form"], "callback_form", TEXT_CALLBACK_FORM)


SWEEP = [
    Citizen.national_home,
    Citizen.find_desk,
    Citizen.desk_home,
    Citizen.desk_events,
    Citizen.event,
    Citizen.all_events,
    Citizen.selftest_index,
    Citizen.selftest,
    Citizen.search,
    Citizen.search_regional,
    Citizen.offer,
    Citizen.funding,
    Citizen.opportunities,
    Citizen.slots,
    Citizen.advice_form,
    Citizen.callback_form,
]
