"""PostgreSQL: the search row keeps the grid cells of its location points (``cells``), so a
search within a distance tests a cheap array overlap before the exact distance, and gets a text
index per learning path; the refresh function is installed again and every row recomputed
(``catalogue.search_rows``)."""

from django.db import migrations

from leerwerk.catalogue import search_rows


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        search_rows.install(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_drop_offer_search_vector")]

    # Going back leaves the column: the older code does not read it.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
