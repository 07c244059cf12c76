"""The narrow search table (``OfferSearchRow``) and how the database keeps it exact.

One row per **active** offer with what search filters, counts and ranks on; inactive offers
have none. Triggers on every table a row is derived from (offers, providers, mbo
qualifications, ESCO occupations and their links, locations, start dates, municipality centres)
rewrite the rows of the offers a statement touched, in the same transaction, and raise
``SearchGeneration`` when a row really changed. Triggers rather than service code, so no writer
(the import services, COPY in the synthetic generator, bulk updates, the admin, raw SQL) can
leave the table behind; the reporting app keeps its change counters the same way.

- **PostgreSQL**: statement-level triggers with transition tables call one set-based function,
  ``catalogue_search_refresh(offer ids)`` (an upsert that skips unchanged rows). The table gets
  columns Django does not know: ``search_vector`` (title weighted A, keywords B — no
  description, which would make the row as wide as the offer), ``lats``/``lons`` (the offer's
  location points: own coordinates, else the municipality centre), ``cells`` (the grid cells of
  those points, ``catalogue_search_cell``: a cheap first test of a distance filter) and
  ``starts`` (all start dates), so distance and start filters need no join; a GIN index on the
  vector, one on the vector with the cells (a word near a place), and one per learning path
  and per level (partial: a word with a path or level filter reads only the matches with that
  path or level).
- **SQLite** (the embedded mode, small catalogues): row-level triggers delete and re-insert the
  row; the search reads locations and start dates from their own tables there.

The migration calls ``install``; when the SQL here changes, add a migration that calls
``install`` again (``CREATE OR REPLACE`` / ``DROP … IF EXISTS`` make it repeatable).
``rebuild()`` (command ``leerwerk rebuild_search_rows``) recomputes every row in place: it is
idempotent and repairs anything written while the triggers were off.
"""

# ruff: noqa: S608 (every statement here is built from the constants of this module)

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from leerwerk.catalogue.constants import Level

# The column lists of the search tables, in one place (search_sql and the point index of
# models_search use them too).
PATH_FLAGS = ("is_bol", "is_bbl", "is_part_time", "is_online", "is_in_company")
FACET_COLUMNS = ("level", "kind", "sector", *PATH_FLAGS)
ROW_COLUMNS = (
    "title",
    "keywords",
    *FACET_COLUMNS,
    "flexible_start",
    "next_start_on",
    "cost_cents",
    "duration_days",
)
# Offer columns a row depends on (a change to another column, such as updated_at or the
# description, leaves the row alone).
OFFER_COLUMNS = (
    "title",
    "provider_id",
    "qualification_id",
    *FACET_COLUMNS,
    "flexible_start",
    "next_start_on",
    "cost_amount",
    "duration_days",
    "is_active",
)
PG_COLUMNS = (*ROW_COLUMNS, "lats", "lons", "cells", "starts")
# What the point table copies from the row (and its cell index covers).
POINT_COLUMNS = ("title", "next_start_on", *FACET_COLUMNS, "cost_cents", "duration_days")

# -- PostgreSQL ------------------------------------------------------------------------------

_PG_SOURCE = r"""
    SELECT o.id AS offer_id, o.title,
           concat_ws(E'\n', p.name, q.name, occ.labels) AS keywords,
           o.level, o.kind, o.sector, o.is_bol, o.is_bbl, o.is_part_time, o.is_online,
           o.is_in_company, o.flexible_start, o.next_start_on,
           (o.cost_amount * 100)::bigint AS cost_cents, o.duration_days,
           pts.lats, pts.lons, st.starts
    FROM catalogue_offer o
    JOIN catalogue_provider p ON p.id = o.provider_id
    LEFT JOIN catalogue_qualification q ON q.id = o.qualification_id
    LEFT JOIN LATERAL (
        SELECT string_agg(oc.label, E'\n' ORDER BY oc.label) AS labels
        FROM catalogue_offer_occupations t
        JOIN catalogue_occupation oc ON oc.id = t.occupation_id
        WHERE t.offer_id = o.id
    ) occ ON true
    LEFT JOIN LATERAL (
        SELECT array_agg(coalesce(l.latitude, c.latitude)::float8 ORDER BY l.id) AS lats,
               array_agg(coalesce(l.longitude, c.longitude)::float8 ORDER BY l.id) AS lons
        FROM catalogue_offerlocation l
        LEFT JOIN catalogue_municipalitycentre c ON c.municipality_id = l.municipality_id
        WHERE l.offer_id = o.id
          AND coalesce(l.latitude, c.latitude) IS NOT NULL
          AND coalesce(l.longitude, c.longitude) IS NOT NULL
    ) pts ON true
    LEFT JOIN LATERAL (
        SELECT array_agg(DISTINCT s.starts_on ORDER BY s.starts_on) AS starts
        FROM catalogue_offerstart s
        WHERE s.offer_id = o.id
    ) st ON true
    WHERE o.id = ANY(ids) AND o.is_active
"""
# The source rows with their text vector: the current row's when title and keywords are the
# same (an update of locations or start dates does not parse the text again), and whether the
# columns the point table copies changed.
_PG_SOURCE_WITH_VECTOR = f"""
    SELECT s.*,
           ARRAY(SELECT DISTINCT catalogue_search_cell(p.lat, p.lon)
                 FROM unnest(s.lats, s.lons) AS p(lat, lon) ORDER BY 1) AS cells,
           CASE WHEN cur.search_vector IS NOT NULL AND cur.title = s.title
                     AND cur.keywords = s.keywords
                THEN cur.search_vector
                ELSE setweight(to_tsvector('dutch'::regconfig, s.title), 'A')
                     || setweight(to_tsvector('dutch'::regconfig, s.keywords), 'B')
           END AS search_vector,
           cur.offer_id IS NULL OR ({{point_new}}) IS DISTINCT FROM ({{point_old}})
               AS points_changed
    FROM ({_PG_SOURCE}) s
    LEFT JOIN catalogue_offersearchrow cur ON cur.offer_id = s.offer_id
"""


_PG_REFRESH = f"""
CREATE OR REPLACE FUNCTION catalogue_search_cell(lat double precision, lon double precision)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (floor(lat * 10) * 1000 + floor(lon * 10))::integer
$$;

CREATE OR REPLACE FUNCTION catalogue_search_refresh(ids bigint[]) RETURNS integer
LANGUAGE plpgsql
-- a few thousand rows at most: compiling the plan (JIT, ~0.5 s) would cost more than running it
SET jit = off
AS $$
DECLARE
    changed bigint[];
    moved bigint[];
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN 0;
    END IF;
    WITH src AS MATERIALIZED ({
    _PG_SOURCE_WITH_VECTOR.format(
        point_new=", ".join(f"s.{c}" for c in ("lats", "lons", *POINT_COLUMNS)),
        point_old=", ".join(f"cur.{c}" for c in ("lats", "lons", *POINT_COLUMNS)),
    )
}),
    gone AS (
        DELETE FROM catalogue_offersearchrow r
        WHERE r.offer_id = ANY(ids)
          AND NOT EXISTS (SELECT 1 FROM src WHERE src.offer_id = r.offer_id)
        RETURNING r.offer_id
    ),
    put AS (
        INSERT INTO catalogue_offersearchrow AS r
            (offer_id, {", ".join(PG_COLUMNS)}, search_vector)
        SELECT offer_id, {", ".join(PG_COLUMNS)}, search_vector FROM src
        ON CONFLICT (offer_id) DO UPDATE
        SET {", ".join(f"{c} = EXCLUDED.{c}" for c in (*PG_COLUMNS, "search_vector"))}
        WHERE ({", ".join(f"r.{c}" for c in (*PG_COLUMNS, "search_vector"))})
              IS DISTINCT FROM ({
    ", ".join(f"EXCLUDED.{c}" for c in (*PG_COLUMNS, "search_vector"))
})
        RETURNING r.offer_id
    )
    SELECT array(SELECT offer_id FROM gone UNION ALL SELECT offer_id FROM put),
           array(SELECT offer_id FROM gone UNION ALL
                 SELECT src.offer_id FROM src JOIN put ON put.offer_id = src.offer_id
                 WHERE src.points_changed)
    INTO changed, moved;
    IF cardinality(changed) = 0 THEN
        RETURN 0;
    END IF;
    IF cardinality(moved) > 0 THEN
        DELETE FROM catalogue_offersearchpoint WHERE offer_id = ANY(moved);
        INSERT INTO catalogue_offersearchpoint
            (offer_id, cell, latitude, longitude, {", ".join(POINT_COLUMNS)})
        SELECT r.offer_id, catalogue_search_cell(p.lat, p.lon), p.lat, p.lon,
               {", ".join(f"r.{c}" for c in POINT_COLUMNS)}
        FROM catalogue_offersearchrow r, unnest(r.lats, r.lons) AS p(lat, lon)
        WHERE r.offer_id = ANY(moved);
    END IF;
    INSERT INTO catalogue_searchgeneration (id, generation) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET generation = catalogue_searchgeneration.generation + 1;
    RETURN cardinality(changed);
END
$$;
"""  # noqa: S608 (built from constants only)


def _changed(columns: tuple[str, ...]) -> str:
    new = ", ".join(f"n.{c}" for c in columns)
    old = ", ".join(f"o.{c}" for c in columns)
    return f"({new}) IS DISTINCT FROM ({old})"


# (table, events, the offer ids a statement touched) — ``new_rows``/``old_rows`` are the
# transition tables; an UPDATE sees both, joined on the primary key as ``n`` and ``o``.
_CHANGED_OFFERS = "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE "
_PG_TRIGGERS: list[tuple[str, str, str]] = [
    ("catalogue_offer", "INSERT", "SELECT id FROM new_rows"),
    ("catalogue_offer", "UPDATE", _CHANGED_OFFERS + _changed(OFFER_COLUMNS)),
    ("catalogue_offer", "DELETE", "SELECT id FROM old_rows"),
    (
        "catalogue_provider",
        "UPDATE",
        "SELECT x.id FROM catalogue_offer x WHERE x.provider_id IN ("
        + _CHANGED_OFFERS
        + _changed(("name",))
        + ")",
    ),
    (
        "catalogue_qualification",
        "UPDATE",
        "SELECT x.id FROM catalogue_offer x WHERE x.qualification_id IN ("
        + _CHANGED_OFFERS
        + _changed(("name",))
        + ")",
    ),
    (
        "catalogue_occupation",
        "UPDATE",
        "SELECT t.offer_id FROM catalogue_offer_occupations t WHERE t.occupation_id IN ("
        + _CHANGED_OFFERS
        + _changed(("label",))
        + ")",
    ),
    ("catalogue_offer_occupations", "INSERT", "SELECT offer_id FROM new_rows"),
    (
        "catalogue_offer_occupations",
        "UPDATE",
        "SELECT offer_id FROM new_rows UNION SELECT offer_id FROM old_rows",
    ),
    ("catalogue_offer_occupations", "DELETE", "SELECT offer_id FROM old_rows"),
    ("catalogue_offerlocation", "INSERT", "SELECT offer_id FROM new_rows"),
    (
        "catalogue_offerlocation",
        "UPDATE",
        "SELECT n.offer_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE "
        + _changed(("offer_id", "municipality_id", "latitude", "longitude"))
        + " UNION SELECT o.offer_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE "
        + "n.offer_id IS DISTINCT FROM o.offer_id",
    ),
    ("catalogue_offerlocation", "DELETE", "SELECT offer_id FROM old_rows"),
    ("catalogue_offerstart", "INSERT", "SELECT offer_id FROM new_rows"),
    (
        "catalogue_offerstart",
        "UPDATE",
        "SELECT offer_id FROM new_rows UNION SELECT offer_id FROM old_rows",
    ),
    ("catalogue_offerstart", "DELETE", "SELECT offer_id FROM old_rows"),
]
# Locations that use their municipality's centre follow a change of that centre.
_CENTRE_OFFERS = (
    "SELECT l.offer_id FROM catalogue_offerlocation l WHERE l.municipality_id IN ({}) "
    "AND (l.latitude IS NULL OR l.longitude IS NULL)"
)
_PG_TRIGGERS += [
    (
        "catalogue_municipalitycentre",
        "INSERT",
        _CENTRE_OFFERS.format("SELECT municipality_id FROM new_rows"),
    ),
    (
        "catalogue_municipalitycentre",
        "UPDATE",
        _CENTRE_OFFERS.format(
            "SELECT municipality_id FROM new_rows UNION SELECT municipality_id FROM old_rows"
        ),
    ),
    (
        "catalogue_municipalitycentre",
        "DELETE",
        _CENTRE_OFFERS.format("SELECT municipality_id FROM old_rows"),
    ),
]


def _pg_trigger_sql(table: str, event: str, ids: str) -> str:
    name = f"{table}_search_{event.lower()}"
    tables = {
        "INSERT": "NEW TABLE AS new_rows",
        "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "OLD TABLE AS old_rows",
    }[event]
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM catalogue_search_refresh(ARRAY({ids}));
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {tables}
FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


# Distance in km from a point (latitude/longitude in radians, with the cosine of the latitude)
# to the nearest of an offer's points: the same haversine, with the same operations, as
# ``geo.distance_expression``; NULL for an offer without points.
_PG_DISTANCE = """
CREATE OR REPLACE FUNCTION catalogue_search_distance(
    lats double precision[], lons double precision[],
    lat0 double precision, lon0 double precision, cos_lat0 double precision
) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT min(12742.0176 * asin(least(1.0, sqrt(
        power(sin((radians(p.lat) - lat0) / 2.0), 2)
        + cos_lat0 * cos(radians(p.lat)) * power(sin((radians(p.lon) - lon0) / 2.0), 2)
    )))) FROM unnest(lats, lons) AS p(lat, lon)
$$;
"""

PG_INSTALL = (
    """
ALTER TABLE catalogue_offersearchrow
    ADD COLUMN IF NOT EXISTS search_vector tsvector,
    ADD COLUMN IF NOT EXISTS lats double precision[],
    ADD COLUMN IF NOT EXISTS lons double precision[],
    ADD COLUMN IF NOT EXISTS cells integer[],
    ADD COLUMN IF NOT EXISTS starts date[];
CREATE INDEX IF NOT EXISTS catalogue_searchrow_text
    ON catalogue_offersearchrow USING gin (search_vector);
"""
    # A text index per learning path (a few MB each): a word with a path filter reads only the
    # matches with that path, not every match of a common word.
    + "".join(
        f"CREATE INDEX IF NOT EXISTS catalogue_searchrow_text_{column.removeprefix('is_')}\n"
        f"    ON catalogue_offersearchrow USING gin (search_vector) WHERE {column};\n"
        for column in PATH_FLAGS
    )
    # Text with the grid cells in one index: a word near a place reads only the matches in
    # the cells around it (the text index alone gives every match of the word, each then read
    # to test its place: 12,000 rows for 2,400 found within 25 km of Rotterdam).
    + """CREATE INDEX IF NOT EXISTS catalogue_searchrow_text_cells
    ON catalogue_offersearchrow USING gin (search_vector, cells);
"""
    # And one per level (each row is in one of them: together the size of the text index).
    + "".join(
        f"CREATE INDEX IF NOT EXISTS catalogue_searchrow_text_level_{level}\n"
        f"    ON catalogue_offersearchrow USING gin (search_vector) WHERE level = '{level}';\n"
        for level in Level.values
    )
    + _PG_REFRESH
    + _PG_DISTANCE
    + "".join(_pg_trigger_sql(*trigger) for trigger in _PG_TRIGGERS)
)

PG_UNINSTALL = (
    "".join(
        f"DROP TRIGGER IF EXISTS {t}_search_{e.lower()} ON {t};\n"
        f"DROP FUNCTION IF EXISTS {t}_search_{e.lower()}();\n"
        for t, e, _ids in _PG_TRIGGERS
    )
    + """
DROP FUNCTION IF EXISTS catalogue_search_distance(
    double precision[], double precision[], double precision, double precision, double precision);
DROP FUNCTION IF EXISTS catalogue_search_refresh(bigint[]);
DROP FUNCTION IF EXISTS catalogue_search_cell(double precision, double precision);
DROP INDEX IF EXISTS catalogue_searchrow_text;
DROP INDEX IF EXISTS catalogue_searchrow_text_cells;
"""
    + "".join(
        f"DROP INDEX IF EXISTS catalogue_searchrow_text_{column.removeprefix('is_')};\n"
        for column in PATH_FLAGS
    )
    + "".join(
        f"DROP INDEX IF EXISTS catalogue_searchrow_text_level_{level};\n" for level in Level.values
    )
    + """
ALTER TABLE catalogue_offersearchrow
    DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS lats,
    DROP COLUMN IF EXISTS lons, DROP COLUMN IF EXISTS cells, DROP COLUMN IF EXISTS starts;
"""
)

# -- SQLite ----------------------------------------------------------------------------------

_SQLITE_KEYWORDS = (
    "p.name"
    " || COALESCE(char(10) || q.name, '')"
    " || COALESCE(char(10) || (SELECT group_concat(label, char(10)) FROM ("
    "SELECT oc.label AS label FROM catalogue_offer_occupations t"
    " JOIN catalogue_occupation oc ON oc.id = t.occupation_id"
    " WHERE t.offer_id = o.id ORDER BY oc.label)), '')"
)
_SQLITE_SELECT = (
    f"SELECT o.id, o.title, {_SQLITE_KEYWORDS}, o.level, o.kind, o.sector, o.is_bol, o.is_bbl, "
    "o.is_part_time, o.is_online, o.is_in_company, o.flexible_start, o.next_start_on, "
    "CAST(ROUND(o.cost_amount * 100) AS INTEGER), o.duration_days "
    "FROM catalogue_offer o JOIN catalogue_provider p ON p.id = o.provider_id "
    "LEFT JOIN catalogue_qualification q ON q.id = o.qualification_id "
    "WHERE o.is_active"
)
_SQLITE_INSERT = f"INSERT INTO catalogue_offersearchrow (offer_id, {', '.join(ROW_COLUMNS)}) "
_SQLITE_BUMP = (
    "INSERT OR IGNORE INTO catalogue_searchgeneration (id, generation) VALUES (1, 0); "
    "UPDATE catalogue_searchgeneration SET generation = generation + 1 WHERE id = 1;"
)


def _sqlite_refresh(ids: str) -> str:
    return (
        f"DELETE FROM catalogue_offersearchrow WHERE offer_id IN ({ids}); "
        f"{_SQLITE_INSERT}{_SQLITE_SELECT} AND o.id IN ({ids}); {_SQLITE_BUMP}"
    )


def _sqlite_changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


# (trigger name, event and table, WHEN condition or "", body)
_SQLITE_TRIGGERS: list[tuple[str, str, str, str]] = [
    ("offer_insert", "INSERT ON catalogue_offer", "", _sqlite_refresh("NEW.id")),
    (
        "offer_update",
        "UPDATE ON catalogue_offer",
        _sqlite_changed(OFFER_COLUMNS),
        _sqlite_refresh("OLD.id, NEW.id"),
    ),
    ("offer_delete", "DELETE ON catalogue_offer", "", _sqlite_refresh("OLD.id")),
    (
        "provider_update",
        "UPDATE ON catalogue_provider",
        _sqlite_changed(("name",)),
        _sqlite_refresh("SELECT id FROM catalogue_offer WHERE provider_id = NEW.id"),
    ),
    (
        "qualification_update",
        "UPDATE ON catalogue_qualification",
        _sqlite_changed(("name",)),
        _sqlite_refresh("SELECT id FROM catalogue_offer WHERE qualification_id = NEW.id"),
    ),
    (
        "occupation_update",
        "UPDATE ON catalogue_occupation",
        _sqlite_changed(("label",)),
        _sqlite_refresh(
            "SELECT offer_id FROM catalogue_offer_occupations WHERE occupation_id = NEW.id"
        ),
    ),
    (
        "occupations_insert",
        "INSERT ON catalogue_offer_occupations",
        "",
        _sqlite_refresh("NEW.offer_id"),
    ),
    (
        "occupations_update",
        "UPDATE ON catalogue_offer_occupations",
        "",
        _sqlite_refresh("OLD.offer_id, NEW.offer_id"),
    ),
    (
        "occupations_delete",
        "DELETE ON catalogue_offer_occupations",
        "",
        _sqlite_refresh("OLD.offer_id"),
    ),
]
# Locations, start dates and centres are read from their own tables on SQLite; a change only
# makes cached counts stale.
for _table in ("catalogue_offerlocation", "catalogue_offerstart", "catalogue_municipalitycentre"):
    for _event in ("INSERT", "UPDATE", "DELETE"):
        _SQLITE_TRIGGERS.append(
            (
                f"{_table.removeprefix('catalogue_')}_{_event.lower()}",
                f"{_event} ON {_table}",
                "",
                _SQLITE_BUMP,
            )
        )

SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS catalogue_search_{name} AFTER {on} "
    + (f"WHEN {when} " if when else "")
    + f"BEGIN {body} END;"
    for name, on, when, body in _SQLITE_TRIGGERS
]
SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS catalogue_search_{name};" for name, *_rest in _SQLITE_TRIGGERS
]


# -- install and rebuild ---------------------------------------------------------------------


def install(schema_editor: Any) -> None:
    """Create the PostgreSQL columns, functions and triggers, or the SQLite triggers; then
    fill the table for the offers there are."""
    vendor = schema_editor.connection.vendor
    # A cursor without parameters, so '%' is passed as is.
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(PG_INSTALL)
        elif vendor == "sqlite":
            for statement in SQLITE_INSTALL:
                cursor.execute(statement)
    _refresh_all(schema_editor.connection)


def uninstall(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(PG_UNINSTALL)
        elif vendor == "sqlite":
            for statement in SQLITE_UNINSTALL:
                cursor.execute(statement)


CHUNK = 50_000


def _refresh_all(conn: Any, report: Callable[[int, int], None] | None = None) -> int:
    """Recompute every row: the active offers' rows and any row without an active offer."""
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                "SELECT coalesce(max(id), 0) FROM catalogue_offer "
                "UNION ALL SELECT coalesce(max(offer_id), 0) FROM catalogue_offersearchrow"
            )
            top = max(row[0] for row in cursor.fetchall())
            changed = 0
            for start in range(0, top + 1, CHUNK):
                with transaction.atomic(using=conn.alias):
                    cursor.execute(
                        "SELECT catalogue_search_refresh(ARRAY("
                        "SELECT id FROM catalogue_offer WHERE id >= %s AND id < %s "
                        "UNION SELECT offer_id FROM catalogue_offersearchrow "
                        "WHERE offer_id >= %s AND offer_id < %s))",
                        [start, start + CHUNK, start, start + CHUNK],
                    )
                    changed += cursor.fetchone()[0]
                if report:
                    report(min(start + CHUNK, top), top)
            cursor.execute("ANALYZE catalogue_offersearchrow")
            return changed
        with transaction.atomic(using=conn.alias):
            cursor.execute("SELECT count(*) FROM catalogue_offersearchrow")
            before = cursor.fetchone()[0]
            cursor.execute("DELETE FROM catalogue_offersearchrow")
            cursor.execute(_SQLITE_INSERT + _SQLITE_SELECT)
            cursor.execute(_SQLITE_BUMP.split("; ")[0])
            cursor.execute(_SQLITE_BUMP.split("; ")[1])
            cursor.execute("SELECT count(*) FROM catalogue_offersearchrow")
            return max(before, cursor.fetchone()[0])


def rebuild(report: Callable[[int, int], None] | None = None) -> int:
    """Recompute the whole search table in place (idempotent; searches keep working).
    Returns the number of rows written or removed on PostgreSQL (0 when it was exact)."""
    return _refresh_all(connection, report)
