"""Small-number suppression (``reporting.suppression``): the rules on known tables, and
properties on random ones: nothing from 1 to 4 is shown, and no hidden entry can be recovered by
subtracting within a row or a column (also not by a chain of such subtractions)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leerwerk.reporting.suppression import Position, Suppressed, suppress, table_lines


def _hidden(result: Suppressed) -> set[Position]:
    hidden: set[Position] = set()
    for r, row in enumerate(result.cells):
        hidden |= {("cell", r, c) for c, h in enumerate(row) if h}
    hidden |= {("row_total", r, 0) for r, h in enumerate(result.row_totals) if h}
    hidden |= {("column_total", 0, c) for c, h in enumerate(result.column_totals) if h}
    if result.grand_total:
        hidden.add(("grand_total", 0, 0))
    return hidden


def _values(cells, row_totals, column_totals, grand_total) -> dict[Position, int]:  # type: ignore[no-untyped-def]
    values: dict[Position, int] = {
        ("cell", r, c): v for r, row in enumerate(cells) for c, v in enumerate(row)
    }
    if row_totals is not None:
        values.update({("row_total", r, 0): v for r, v in enumerate(row_totals)})
    if column_totals is not None:
        values.update({("column_total", 0, c): v for c, v in enumerate(column_totals)})
    if grand_total is not None:
        values[("grand_total", 0, 0)] = grand_total
    return values


def _recoverable(hidden: set[Position], lines: list[list[Position]]) -> set[Position]:
    """What an attacker recovers by repeated subtraction: a line with one unknown entry gives
    it away; that entry is then known for other lines too."""
    unknown = set(hidden)
    recovered: set[Position] = set()
    progress = True
    while progress:
        progress = False
        for line in lines:
            missing = [p for p in line if p in unknown]
            if len(missing) == 1:
                unknown.discard(missing[0])
                recovered.add(missing[0])
                progress = True
    return recovered


# -- known tables ----------------------------------------------------------------------------


def test_nothing_is_hidden_when_every_cell_is_zero_or_five_and_up():
    result = suppress([[0, 5], [12, 7]], row_totals=[5, 19], column_totals=[12, 12], grand_total=24)
    assert _hidden(result) == set()


def test_a_single_small_cell_in_a_column_hides_the_next_smallest_too():
    # given one column of municipalities with a total: 3 is small
    result = suppress([[3], [10], [7], [0]], column_totals=[20])
    # then 3 is hidden (primary) and 7, the smallest other non-zero cell, with it
    assert result.cells == [[True], [False], [True], [False]]
    assert result.is_primary(("cell", 0, 0))
    assert not result.is_primary(("cell", 2, 0))
    assert result.column_totals == [False]


def test_a_zero_is_only_used_as_complement_when_nothing_else_is_left():
    result = suppress([[2], [0]], column_totals=[2])
    # 2 is small; the total 2 is small too: both hidden, the zero can stay
    assert result.cells == [[True], [False]]
    assert result.column_totals == [True]


def test_a_small_total_is_hidden_and_protected():
    # given a desk whose row total is 4 (all in one target group)
    result = suppress(
        [[4, 0], [20, 30]],
        row_totals=[4, 48],
        column_totals=[24, 30],
        grand_total=52,
    )
    hidden = _hidden(result)
    assert ("cell", 0, 0) in hidden
    assert ("row_total", 0, 0) in hidden
    lines = table_lines(2, 2, row_totals=True, column_totals=True, grand_total=True)
    assert _recoverable(hidden, lines) == set()


def test_complementary_suppression_spreads_over_rows_and_columns():
    # the classic case: one small cell forces a second in its row, which forces one in its column
    cells = [[2, 10, 20], [8, 9, 30], [15, 16, 40]]
    row_totals = [sum(r) for r in cells]
    column_totals = [sum(c) for c in zip(*cells, strict=True)]
    result = suppress(cells, row_totals=row_totals, column_totals=column_totals)
    hidden = _hidden(result)
    assert hidden == {("cell", 0, 0), ("cell", 0, 1), ("cell", 1, 0), ("cell", 1, 1)}
    lines = table_lines(3, 3, row_totals=True, column_totals=True, grand_total=False)
    assert _recoverable(hidden, lines) == set()


def test_without_totals_no_complement_is_needed():
    result = suppress([[3, 10]])
    assert result.cells == [[True, False]]


def test_shapes_are_checked():
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress([[1, 2]], row_totals=[1, 2])


# -- properties ------------------------------------------------------------------------------


@st.composite
def tables(draw):  # type: ignore[no-untyped-def]
    n_rows = draw(st.integers(1, 6))
    n_columns = draw(st.integers(1, 6))
    small_heavy = st.one_of(st.integers(0, 6), st.integers(0, 60))
    cells = [[draw(small_heavy) for _ in range(n_columns)] for _ in range(n_rows)]
    additive = draw(st.booleans())
    if additive:
        row_totals = [sum(row) for row in cells]
        column_totals = [sum(column) for column in zip(*cells, strict=True)]
        grand_total = sum(row_totals)
    else:  # a target-group split: totals are at least the largest cell, not the sum
        row_totals = [max(row) + draw(st.integers(0, 5)) for row in cells]
        column_totals = [
            max(column) + draw(st.integers(0, 5)) for column in zip(*cells, strict=True)
        ]
        grand_total = max(row_totals + column_totals) + draw(st.integers(0, 5))
    with_rows = draw(st.booleans())
    with_columns = draw(st.booleans())
    with_grand = draw(st.booleans()) and (with_rows or with_columns)
    return (
        cells,
        row_totals if with_rows else None,
        column_totals if with_columns else None,
        grand_total if with_grand else None,
    )


@settings(max_examples=400, deadline=None)
@given(tables())
def test_no_shown_entry_is_between_1_and_4(table):  # type: ignore[no-untyped-def]
    cells, row_totals, column_totals, grand_total = table
    result = suppress(
        cells, row_totals=row_totals, column_totals=column_totals, grand_total=grand_total
    )
    hidden = _hidden(result)
    for position, value in _values(cells, row_totals, column_totals, grand_total).items():
        if 1 <= value <= 4:
            assert position in hidden
            assert result.is_primary(position)


@settings(max_examples=400, deadline=None)
@given(tables())
def test_no_hidden_entry_can_be_recovered_by_subtraction(table):  # type: ignore[no-untyped-def]
    cells, row_totals, column_totals, grand_total = table
    result = suppress(
        cells, row_totals=row_totals, column_totals=column_totals, grand_total=grand_total
    )
    hidden = _hidden(result)
    lines = table_lines(
        len(cells),
        len(cells[0]),
        row_totals=row_totals is not None,
        column_totals=column_totals is not None,
        grand_total=grand_total is not None,
    )
    # every line hides nothing or at least two entries ...
    for line in lines:
        assert len([p for p in line if p in hidden]) != 1
    # ... so no hidden entry falls to subtraction, not even by a chain of subtractions
    assert _recoverable(hidden, lines) == set()


@settings(max_examples=200, deadline=None)
@given(tables())
def test_suppression_only_hides_what_it_must(table):  # type: ignore[no-untyped-def]
    """Without small entries nothing is hidden; and hiding is stable (running it on the result
    hides nothing more)."""
    cells, row_totals, column_totals, grand_total = table
    values = _values(cells, row_totals, column_totals, grand_total)
    result = suppress(
        cells, row_totals=row_totals, column_totals=column_totals, grand_total=grand_total
    )
    if not any(1 <= v <= 4 for v in values.values()):
        assert _hidden(result) == set()
    assert _hidden(result) >= set(result.primary)
