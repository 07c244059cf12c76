"""PostgreSQL: a text index per level beside the one per learning path (partial GIN indexes: a
word with a level filter reads only the matches with that level, not every match of a common
word); the search row SQL is installed again (``catalogue.search_rows``, repeatable)."""

from django.db import migrations

from leerwerk.catalogue import search_rows


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        search_rows.install(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0006_search_row_cells")]

    # Going back leaves the indexes: the older code's searches use them too.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
