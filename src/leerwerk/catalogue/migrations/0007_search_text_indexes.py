"""PostgreSQL: more text indexes on the search row — one on the text with the grid cells (a word
near a place reads only the matches in the cells around it) and one per level beside the one
per learning path (partial GIN indexes: a word with a level filter reads only the matches with
that level); the search row SQL is installed again (``catalogue.search_rows``, repeatable).
About 40 s on 1M offers."""

from django.db import migrations

from leerwerk.catalogue import search_rows


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        search_rows.install(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0006_search_row_cells")]

    # Going back leaves the indexes: the older code's searches use them too.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
