"""The database table of the throttle cache (CACHES["throttle"] without REDIS_URL), made by
`migrate` so that no deployment needs a separate `createcachetable` step. It is made even
when REDIS_URL is set, so that unsetting it later still finds the table."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "accounts_throttle_cache"


def create_table(apps, schema_editor):
    # Skips a table that exists (the test runner also runs createcachetable).
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_table, drop_table)]
