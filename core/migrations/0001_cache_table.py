from django.db import migrations, models

TABLE = "salkku_cache"


def create_table(apps, schema_editor) -> None:
    # The README once said to run `createcachetable` for dbcache://salkku_cache; where that
    # was done the table is already there, in the same schema, and is kept as it is.
    if TABLE not in schema_editor.connection.introspection.table_names():
        schema_editor.create_model(apps.get_model("core", "CacheEntry"))


def drop_table(apps, schema_editor) -> None:
    schema_editor.delete_model(apps.get_model("core", "CacheEntry"))


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        # The table is made below only where it is missing.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CacheEntry",
                    fields=[
                        (
                            "cache_key",
                            models.CharField(max_length=255, primary_key=True, serialize=False),
                        ),
                        ("value", models.TextField()),
                        ("expires", models.DateTimeField(db_index=True)),
                    ],
                    options={"db_table": TABLE},
                ),
            ],
        ),
        # After the state has the model, so the functions can build the table from it.
        migrations.RunPython(create_table, drop_table),
    ]
