"""Small-number suppression for tables of person counts (a pure function, no database).

A table is a matrix of cells, optionally with a total per row, a total per column and a grand
total. Its *lines* are the sums a reader could subtract with: every row (its cells and its total),
every column (its cells and its total), the row of column totals (with the grand total) and the
column of row totals (with the grand total). A line without a total, or with a single entry,
gives no equation and is not a line.

1. Primary suppression: every entry (cell or total) from 1 to ``threshold - 1`` is hidden.
2. Complementary suppression: while some line holds exactly one hidden entry, that entry could
   be recovered by subtracting the shown entries from the line's total (or the total from the
   cells); so the smallest shown entry of that line is hidden too (a non-zero one first: a
   hidden 0 protects little). Repeated until no line holds exactly one hidden entry.

Afterwards no hidden entry can be derived by subtraction within a row or a column, nor by a
chain of such subtractions (every line holds zero or at least two hidden entries, so no chain
can start). Solving several lines at once as a system of equations is not ruled out in every
pattern; that needs a linear-programming audit, which the classic rule does not do.

Totals of a split by target group are not the sum of their cells (a person can belong to
several groups, or to none); treating them as sums, as done here, protects more, never less.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5

Position = tuple[str, int, int]  # ("cell", row, column) | ("row_total", row, 0) | ...


@dataclass(frozen=True)
class Suppressed:
    """Which entries are hidden, and why (primary: 1 to threshold-1; complementary: to protect
    a primary one)."""

    cells: list[list[bool]]
    row_totals: list[bool]
    column_totals: list[bool]
    grand_total: bool
    primary: frozenset[Position]

    def is_primary(self, position: Position) -> bool:
        return position in self.primary


def suppress(
    cells: Sequence[Sequence[int]],
    *,
    row_totals: Sequence[int] | None = None,
    column_totals: Sequence[int] | None = None,
    grand_total: int | None = None,
    threshold: int = THRESHOLD,
) -> Suppressed:
    """Decide which entries of the table to hide (see the module text for the rules)."""
    n_rows = len(cells)
    n_columns = len(cells[0]) if n_rows else 0
    if any(len(row) != n_columns for row in cells):
        raise ValueError("All rows need the same number of cells.")
    if row_totals is not None and len(row_totals) != n_rows:
        raise ValueError("One total per row.")
    if column_totals is not None and len(column_totals) != n_columns:
        raise ValueError("One total per column.")

    value: dict[Position, int] = {}
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            value[("cell", r, c)] = cell
    if row_totals is not None:
        for r, total in enumerate(row_totals):
            value[("row_total", r, 0)] = total
    if column_totals is not None:
        for c, total in enumerate(column_totals):
            value[("column_total", 0, c)] = total
    if grand_total is not None:
        value[("grand_total", 0, 0)] = grand_total

    lines = _lines(n_rows, n_columns, value)
    hidden = {position for position, v in value.items() if 0 < v < threshold}
    primary = frozenset(hidden)
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden_in_line = [p for p in line if p in hidden]
            if len(hidden_in_line) != 1:
                continue
            shown = [p for p in line if p not in hidden]
            # the smallest shown entry, non-zero first; ties by position (deterministic)
            hidden.add(min(shown, key=lambda p: (value[p] == 0, value[p], _order(p))))
            changed = True

    return Suppressed(
        cells=[[("cell", r, c) in hidden for c in range(n_columns)] for r in range(n_rows)],
        row_totals=[("row_total", r, 0) in hidden for r in range(n_rows)]
        if row_totals is not None
        else [],
        column_totals=[("column_total", 0, c) in hidden for c in range(n_columns)]
        if column_totals is not None
        else [],
        grand_total=("grand_total", 0, 0) in hidden,
        primary=primary,
    )


def table_lines(
    n_rows: int,
    n_columns: int,
    *,
    row_totals: bool,
    column_totals: bool,
    grand_total: bool,
) -> list[list[Position]]:
    """The lines (sums a reader can subtract with) of a table of this shape."""
    value: dict[Position, int] = {
        ("cell", r, c): 0 for r in range(n_rows) for c in range(n_columns)
    }
    if row_totals:
        value.update({("row_total", r, 0): 0 for r in range(n_rows)})
    if column_totals:
        value.update({("column_total", 0, c): 0 for c in range(n_columns)})
    if grand_total:
        value[("grand_total", 0, 0)] = 0
    return _lines(n_rows, n_columns, value)


def _lines(n_rows: int, n_columns: int, value: dict[Position, int]) -> list[list[Position]]:
    lines: list[list[Position]] = []
    if ("row_total", 0, 0) in value:
        for r in range(n_rows):
            lines.append([*(("cell", r, c) for c in range(n_columns)), ("row_total", r, 0)])
    if ("column_total", 0, 0) in value:
        for c in range(n_columns):
            lines.append([*(("cell", r, c) for r in range(n_rows)), ("column_total", 0, c)])
    if ("grand_total", 0, 0) in value:
        if ("column_total", 0, 0) in value:
            lines.append(
                [*(("column_total", 0, c) for c in range(n_columns)), ("grand_total", 0, 0)]
            )
        if ("row_total", 0, 0) in value:
            lines.append([*(("row_total", r, 0) for r in range(n_rows)), ("grand_total", 0, 0)])
    return [line for line in lines if len(line) >= 2]


_KIND_ORDER = {"cell": 0, "row_total": 1, "column_total": 2, "grand_total": 3}


def _order(position: Position) -> tuple[int, int, int]:
    kind, row, column = position
    return (_KIND_ORDER[kind], row, column)
