"""Trigram indexes for searching clients by (part of) a name on PostgreSQL.

Django's ``icontains`` becomes ``UPPER(col) LIKE UPPER('%…%')``; a GIN trigram index on
``UPPER(col)`` answers it without scanning the desk's clients. pg_trgm ships with PostgreSQL
and is a trusted extension (the database owner may create it). SQLite searches without it.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS clients_client_family_trgm
    ON clients_client USING gin (UPPER(family_name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS clients_client_given_trgm
    ON clients_client USING gin (UPPER(given_name) gin_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS clients_client_family_trgm;
DROP INDEX IF EXISTS clients_client_given_trgm;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_seed_target_groups")]

    operations = [migrations.RunPython(create, drop)]
