from django.db import migrations


class Migration(migrations.Migration):
    """API tokens now belong to accounts; the table stays and accounts keeps it."""

    dependencies = [
        ("portfolio", "0007_idea_import"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ApiToken")],
            database_operations=[],
        ),
    ]
