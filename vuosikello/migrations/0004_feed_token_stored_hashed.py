"""Feed tokens are stored as a lookup key and a SHA-256 digest of the rest, never in clear.

The existing tokens are hashed in place, so the addresses already in people's calendar apps
keep working. Going back cannot bring the clear tokens back: the rows are deleted instead,
and each user gets new addresses on their next visit to the subscription page."""

import hashlib

from django.db import migrations, models

# As in vuosikello.models; copied so this migration keeps working if the model changes.
KEY_LENGTH = 8


def hash_tokens(apps, schema_editor):
    FeedToken = apps.get_model("vuosikello", "FeedToken")
    for row in FeedToken.objects.only("pk", "key", "token").iterator():
        # The key was always the token's first characters; the digest is of the rest.
        row.key = row.token[:KEY_LENGTH]
        row.digest = hashlib.sha256(row.token[KEY_LENGTH:].encode()).hexdigest()
        row.save(update_fields=["key", "digest"])


def forget_tokens(apps, schema_editor):
    apps.get_model("vuosikello", "FeedToken").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("vuosikello", "0003_mail_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="feedtoken",
            name="digest",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="fingerprint"),
            preserve_default=False,
        ),
        migrations.RunPython(hash_tokens, forget_tokens, elidable=False),
        migrations.RemoveField(
            model_name="feedtoken",
            name="token",
        ),
    ]
