"""Shared checks for the browser tests."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = {"serious", "critical"}


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    """Run axe-core on the page; fail on serious or critical violations and print them."""
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    for violation in results.response["violations"]:
        nodes = "; ".join(", ".join(node["target"]) for node in violation["nodes"])
        print(f"axe {violation['impact']}: {violation['id']} – {violation['help']} [{nodes}]")  # noqa: T201
    if blocking:
        print(results.generate_report())  # noqa: T201
    assert blocking == [], f"{len(blocking)} serious/critical axe violation(s) on {page.url}"


def assert_no_horizontal_scroll(page, width: int) -> None:  # type: ignore[no-untyped-def]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        wide = page.evaluate(
            """(width) => Array.from(document.querySelectorAll('body *'))
                .filter(el => el.getBoundingClientRect().right > width)
                .slice(0, 10)
                .map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))""",
            width,
        )
        print("wider than the viewport:", wide)  # noqa: T201
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width}px > {width}px"
