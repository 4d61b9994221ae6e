"""The data step of the migration that records when a reminder was sent."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from portfolio.services import idea_move
from portfolio.stages import Stage
from tests.factories import IdeaFactory
from vuosikello.models import SentReminder

pytestmark = pytest.mark.django_db

migration = importlib.import_module("vuosikello.migrations.0002_sentreminder_sent_at")


def test_reminders_sent_before_are_marked_sent_and_keyed_by_the_stay_they_were_about():
    now = timezone.now()
    idea = IdeaFactory(at=now - timedelta(days=200))
    owner = idea.owner
    created = idea.transitions.get()
    moved = idea_move(idea=idea, to_stage=Stage.DROPPED, by=owner, note="No partners",
                      at=now - timedelta(days=100))
    dropped = moved.transitions.latest("at", "pk")

    def sent(key: str, days_ago: int, kind: str = "stale_idea") -> SentReminder:
        return SentReminder.objects.create(
            user=owner, kind=kind, key=key, created_at=now - timedelta(days=days_ago)
        )

    first = sent(f"idea-{idea.pk}-v1", days_ago=130)
    sent(f"idea-{idea.pk}-v2", days_ago=120)  # mailed again after an edit changed the version
    later_stay = sent(f"idea-{idea.pk}-v3", days_ago=30)
    report = sent("2024Q1", days_ago=10, kind="report_due")

    migration.sent_and_keyed_by_stay(apps, None)

    assert set(SentReminder.objects.values_list("pk", "key")) == {
        (first.pk, f"idea-{idea.pk}-stay-{created.pk}"),
        (later_stay.pk, f"idea-{idea.pk}-stay-{dropped.pk}"),
        (report.pk, "2024Q1"),
    }
    assert all(row.sent_at == row.created_at for row in SentReminder.objects.all())


# Serialised like the other tests that commit, so the tables are as before for the next one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_feed_tokens_stored_in_clear_are_hashed_and_their_addresses_keep_working(client):
    """Migrating hashes each stored token: the address already in a calendar app still
    opens the feed, and the clear token is nowhere in the table."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.factories import UserFactory

    before = ("vuosikello", "0003_mail_language")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        old_apps = executor.loader.project_state([before]).apps
        user = UserFactory(funder=True)
        clear = "AbCdEfGh" + "x1y2z3" * 4  # as the old tokens were: 32 characters
        old_apps.get_model("vuosikello", "FeedToken").objects.create(
            user_id=user.pk, key=clear[:8], token=clear
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    from vuosikello.models import FeedToken

    row = FeedToken.objects.get(user=user)
    assert row.key == clear[:8]
    assert clear[8:] not in str(FeedToken.objects.values().get(pk=row.pk))
    assert client.get(f"/calendar/feed/{clear}.ics").status_code == 200
    assert client.get(f"/calendar/feed/{clear[:-1]}Q.ics").status_code == 404
