"""Search reads the narrow search table now (0004): the offer table's own full-text column and
its GIN index (0003) are no longer used, and every offer write paid for them."""

from django.db import migrations

DROP = """
DROP INDEX IF EXISTS catalogue_offer_search_gin;
ALTER TABLE catalogue_offer DROP COLUMN IF EXISTS search_vector;
"""
CREATE = """
ALTER TABLE catalogue_offer ADD COLUMN IF NOT EXISTS search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('dutch'::regconfig, coalesce(title, '')), 'A')
        || to_tsvector('dutch'::regconfig, coalesce(search_text, ''))
    ) STORED;
CREATE INDEX IF NOT EXISTS catalogue_offer_search_gin
    ON catalogue_offer USING gin (search_vector) WHERE is_active;
"""


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_search_rows")]

    operations = [migrations.RunPython(drop, create)]
