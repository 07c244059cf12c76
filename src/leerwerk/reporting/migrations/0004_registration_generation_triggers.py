"""Database triggers that raise the change counter of a desk's half-year whenever a registration
in it is inserted, deleted or changed in a column a figure depends on (see
``reporting.models.RegistrationGeneration`` and docs/reporting.md, "Pre-aggregation").

Triggers rather than application code, so that no code path (services, admin, bulk updates,
merges, erasures, raw SQL) can change a registration without invalidating the cached figures.
"""

from django.db import migrations

# Columns a counted figure or the cache key depends on. A change to another column (a note, the
# version, updated_at) does not touch the figures and does not invalidate anything.
COLUMNS = ("desk_id", "occurred_on", "type_id", "status", "client_id", "employer_id", "kind")

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION reporting_bump_generation() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND ({" AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in COLUMNS)}) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO reporting_registrationgeneration (desk_id, year, half, generation)
        VALUES (OLD.desk_id, EXTRACT(YEAR FROM OLD.occurred_on)::int,
                CASE WHEN EXTRACT(MONTH FROM OLD.occurred_on) <= 6 THEN 1 ELSE 2 END, 1)
        ON CONFLICT (desk_id, year, half)
        DO UPDATE SET generation = reporting_registrationgeneration.generation + 1;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO reporting_registrationgeneration (desk_id, year, half, generation)
        VALUES (NEW.desk_id, EXTRACT(YEAR FROM NEW.occurred_on)::int,
                CASE WHEN EXTRACT(MONTH FROM NEW.occurred_on) <= 6 THEN 1 ELSE 2 END, 1)
        ON CONFLICT (desk_id, year, half)
        DO UPDATE SET generation = reporting_registrationgeneration.generation + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reporting_registration_generation
AFTER INSERT OR UPDATE OR DELETE ON guidance_registration
FOR EACH ROW EXECUTE FUNCTION reporting_bump_generation();

CREATE OR REPLACE FUNCTION reporting_forget_all_figures() RETURNS trigger AS $$
BEGIN
    DELETE FROM reporting_figurecache;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reporting_registration_truncate
AFTER TRUNCATE ON guidance_registration
FOR EACH STATEMENT EXECUTE FUNCTION reporting_forget_all_figures();
"""  # noqa: S608 (built from constants only)

POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS reporting_registration_truncate ON guidance_registration;
DROP FUNCTION IF EXISTS reporting_forget_all_figures();
DROP TRIGGER IF EXISTS reporting_registration_generation ON guidance_registration;
DROP FUNCTION IF EXISTS reporting_bump_generation();
"""


def _sqlite_bump(row: str) -> str:
    year = f"CAST(strftime('%Y', {row}.occurred_on) AS INTEGER)"
    half = f"(CASE WHEN CAST(strftime('%m', {row}.occurred_on) AS INTEGER) <= 6 THEN 1 ELSE 2 END)"
    table = "reporting_registrationgeneration"
    insert = f"INSERT OR IGNORE INTO {table} (desk_id, year, half, generation) VALUES ({row}.desk_id, {year}, {half}, 0);"  # noqa: S608, E501
    update = f"UPDATE {table} SET generation = generation + 1 WHERE desk_id = {row}.desk_id AND year = {year} AND half = {half};"  # noqa: S608, E501
    return f"{insert} {update}"


SQLITE_UP = [
    "CREATE TRIGGER reporting_registration_generation_insert AFTER INSERT ON guidance_registration "
    f"BEGIN {_sqlite_bump('NEW')} END;",
    "CREATE TRIGGER reporting_registration_generation_delete AFTER DELETE ON guidance_registration "
    f"BEGIN {_sqlite_bump('OLD')} END;",
    "CREATE TRIGGER reporting_registration_generation_update AFTER UPDATE ON guidance_registration "
    f"WHEN {' OR '.join(f'NEW.{c} IS NOT OLD.{c}' for c in COLUMNS)} "
    f"BEGIN {_sqlite_bump('OLD')} {_sqlite_bump('NEW')} END;",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS reporting_registration_generation_insert;",
    "DROP TRIGGER IF EXISTS reporting_registration_generation_delete;",
    "DROP TRIGGER IF EXISTS reporting_registration_generation_update;",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        # A cursor without parameters, so the '%' of strftime is passed as is.
        with schema_editor.connection.cursor() as cursor:
            for statement in statements.get(schema_editor.connection.vendor, []):
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("guidance", "0003_worklist_indexes"),
        ("reporting", "0003_report_cache"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": [POSTGRES_UP], "sqlite": SQLITE_UP}),
            _run({"postgresql": [POSTGRES_DOWN], "sqlite": SQLITE_DOWN}),
        )
    ]
