"""seed_demo: a deterministic demo network in which every idea obeys the stage machine."""

from collections import defaultdict
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from accounts.permissions import MANAGERS_GROUP, role_of
from demo import builder as demo
from funding.models import FundingApplication, FundingInstrument, Implementation
from portfolio.models import (
    ConsortiumMember,
    Idea,
    Organisation,
    Region,
    RoadshowEvent,
    StageTransition,
    Theme,
)
from portfolio.stages import Stage, is_allowed
from portfolio.validators import validate_business_id
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def fingerprint() -> dict[str, list[str]]:
    """The data's content, independent of primary keys and of when it was written."""
    queries = {
        "ideas": Idea.objects.values_list(
            "title", "summary", "stage", "estimated_budget", "stage_entered_at", "drop_reason",
            "version", "origin_event__title", "owner__username",
        ),
        "transitions": StageTransition.objects.values_list(
            "idea__title", "from_stage", "to_stage", "at", "note"
        ),
        "applications": FundingApplication.objects.values_list(
            "idea__title", "instrument__code", "applicant__name", "total_budget", "requested",
            "granted", "status", "submitted_on", "decided_on", "reference",
        ),
        "members": ConsortiumMember.objects.values_list(
            "idea__title", "organisation__name", "role", "status", "budget_share"
        ),
        "implementations": Implementation.objects.values_list(
            "idea__title", "start", "end", "total_budget", "health"
        ),
        "organisations": Organisation.objects.values_list("name", "business_id"),
        "events": RoadshowEvent.objects.values_list(
            "title", "date", "participants_onsite", "participants_online"
        ),
    }
    # Titles repeat and values may be None, so compare the rows as text.
    return {name: sorted(map(str, query)) for name, query in queries.items()}


def assert_consistent() -> None:
    """Every idea's history and records are what the stage service would have left."""
    now = timezone.now()
    history = defaultdict(list)
    for row in StageTransition.objects.order_by("idea_id", "at", "pk").values(
        "idea_id", "from_stage", "to_stage", "at", "note"
    ):
        history[row["idea_id"]].append(row)
    committed_leads = set(
        ConsortiumMember.objects.filter(role="lead", status="committed").values_list(
            "idea_id", flat=True
        )
    )
    granted = set(
        FundingApplication.objects.filter(status="approved", granted__gt=0).values_list(
            "idea_id", flat=True
        )
    )
    ends = dict(Implementation.objects.values_list("idea_id", "end"))
    managers = set(
        get_user_model().objects.filter(groups__name=MANAGERS_GROUP).values_list("pk", flat=True)
    )

    for idea in Idea.objects.values(
        "pk", "stage", "stage_entered_at", "drop_reason", "version", "owner_id",
        "origin_event__date", "created_at",
    ):
        moves = history[idea["pk"]]
        assert (moves[0]["from_stage"], moves[0]["to_stage"]) == ("", Stage.IDEA)
        assert idea["created_at"] == moves[0]["at"]
        for before, move in zip(moves, moves[1:]):
            assert move["from_stage"] == before["to_stage"]
            assert is_allowed(move["from_stage"], move["to_stage"])
            assert move["at"] > before["at"]
        last = moves[-1]
        assert last["to_stage"] == idea["stage"]
        assert last["at"] == idea["stage_entered_at"]
        assert last["at"] < now
        assert idea["version"] == len(moves)
        assert bool(idea["drop_reason"].strip()) == (idea["stage"] == Stage.DROPPED)
        if idea["stage"] == Stage.DROPPED:
            assert idea["drop_reason"] == last["note"]
        assert idea["owner_id"] in managers
        if idea["origin_event__date"]:
            assert timezone.localdate(moves[0]["at"]) > idea["origin_event__date"]
        for move in moves[1:]:
            if move["to_stage"] == Stage.APPLICATION:
                assert idea["pk"] in committed_leads
            elif move["to_stage"] == Stage.IMPLEMENTATION:
                assert idea["pk"] in granted
            elif move["to_stage"] == Stage.COMPLETED:
                assert ends[idea["pk"]] <= timezone.localdate(move["at"])
            elif move["to_stage"] in (Stage.DROPPED, Stage.IDEA):
                assert move["note"].strip()

    applications = FundingApplication.objects.all()
    assert not applications.filter(requested__gt=F("total_budget")).exists()
    assert not applications.filter(granted__gt=F("requested")).exists()
    assert not applications.exclude(status="approved").filter(granted__isnull=False).exists()
    assert not applications.filter(status="approved", granted__isnull=True).exists()
    assert not applications.filter(decided_on__lt=F("submitted_on")).exists()
    assert not applications.filter(status__in=["approved", "rejected"], decided_on=None).exists()
    assert not applications.exclude(status="draft").filter(submitted_on=None).exists()
    assert not applications.exclude(call=None).exclude(call__instrument=F("instrument")).exists()
    assert not ConsortiumMember.objects.exclude(contact=None).exclude(
        contact__organisation=F("organisation")
    ).exists()
    assert not Implementation.objects.filter(end__lt=F("start")).exists()


def test_the_default_demo_is_a_consistent_network(debug, client, settings):
    output = seed()

    assert Idea.objects.count() == 150
    assert set(Idea.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert_consistent()

    organisations = Organisation.objects.all()
    assert 55 <= organisations.count() <= 70
    assert set(organisations.values_list("kind", flat=True)) == set(Organisation.Kind.values)
    assert set(organisations.values_list("size", flat=True)) == set(Organisation.Size.values)
    for business_id in organisations.values_list("business_id", flat=True):
        assert business_id
        validate_business_id(business_id)
    assert not organisations.filter(contacts=None).exists()
    partner_regions = {"06", "14", "13", "17", "05"}
    assert partner_regions < set(organisations.values_list("region__code", flat=True))

    assert Theme.objects.count() == 11
    assert Theme.objects.values("source").distinct().count() == 3
    assert not Theme.objects.filter(name_en="").exists()
    assert not Theme.objects.filter(name_sv="").exists()

    events = RoadshowEvent.objects.all()
    # The AKKE period's fourteen, then a few follow-on events each half-year up to today.
    assert events.filter(date__year__in=[2022, 2023]).count() == 14
    years = {e.date.year for e in events}
    assert set(range(2022, timezone.localdate().year)) <= years
    assert not events.filter(date__gte=timezone.localdate()).exists()
    assert events.filter(format="hybrid").count() > events.count() / 2
    assert partner_regions <= set(events.values_list("host_region__code", flat=True))
    assert not events.filter(organisations=None).exists()
    assert Idea.objects.filter(origin_event=None).count() < 50

    # The detours of a real pipeline are there too.
    transitions = StageTransition.objects.all()
    assert transitions.filter(from_stage=Stage.DROPPED, to_stage=Stage.IDEA).exists()
    assert transitions.filter(from_stage=Stage.APPLICATION, to_stage=Stage.CONSORTIUM).exists()
    statuses = set(FundingApplication.objects.values_list("status", flat=True))
    assert {"approved", "rejected", "submitted"} <= statuses
    levels = set(FundingApplication.objects.values_list("instrument__level", flat=True))
    assert levels == {"regional", "national", "eu"}
    health = set(Implementation.objects.values_list("health", flat=True))
    assert health == set(Implementation.Health.values)
    assert Idea.history.count() >= 150  # the services kept the field history

    assert "Demo logins" in output
    for username, role in [("admin", "admin"), ("manager", "manager"), ("funder", "funder")]:
        assert username in output
        assert client.login(username=username, password=settings.DEMO_PASSWORD)
        user = get_user_model().objects.get(username=username)
        assert role_of(user) == role
    assert settings.DEMO_PASSWORD in output


def test_the_bulk_path_leaves_the_same_invariants(debug, small_service_share):
    output = seed(ideas=400)

    assert Idea.objects.count() == 400
    assert set(Idea.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert_consistent()
    assert "400 / 400 ideas" in output


def test_the_same_seed_gives_the_same_data(debug, small_service_share):
    seed(seed=7, ideas=80)
    first = fingerprint()

    seed(seed=7, ideas=80, reset=True)
    assert fingerprint() == first
    assert Organisation.objects.count() == len(demo.ORGANISATIONS)  # replaced, not added

    seed(seed=8, ideas=80, reset=True)
    other = fingerprint()
    assert other["ideas"] != first["ideas"]
    assert other["applications"] != first["applications"]
    assert other["organisations"] != first["organisations"]


def test_reset_keeps_reference_data(debug):
    regions, instruments = Region.objects.count(), FundingInstrument.objects.count()
    seed(ideas=5)
    seed(ideas=5, reset=True)

    assert Region.objects.count() == regions == 19
    assert FundingInstrument.objects.count() == instruments
    assert Idea.objects.count() == 5
    # The history of the deleted ideas went with them.
    assert set(Idea.history.values_list("id", flat=True)) == set(
        Idea.objects.values_list("pk", flat=True)
    )
    assert get_user_model().objects.filter(username__in=["admin", "manager", "funder"]).count() == 3


def test_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        seed(ideas=5)

    assert not Organisation.objects.exists()
    assert not get_user_model().objects.filter(username="admin").exists()


def test_force_runs_with_debug_off(settings):
    settings.DEBUG = False

    seed(ideas=3, force=True)

    assert Idea.objects.count() == 3


def test_a_database_with_data_is_left_alone(debug):
    OrganisationFactory()

    output = seed(ideas=5)

    assert "The database already has data; nothing was changed." in output
    assert "--reset" in output
    assert Organisation.objects.count() == 1
    assert not Idea.objects.exists()
    assert not Theme.objects.exists()
    assert "Demo logins" not in output  # no demo users were ever created


def test_a_second_run_changes_nothing_and_prints_the_logins(debug, settings):
    seed(ideas=5)
    before = fingerprint()

    output = seed(ideas=5)

    assert "nothing was changed" in output
    assert "manager" in output and settings.DEMO_PASSWORD in output
    assert fingerprint() == before


def test_the_password_comes_from_the_settings(debug, client, settings):
    settings.DEMO_PASSWORD = "toinen-salasana"

    seed(ideas=0)

    assert client.login(username="manager", password="toinen-salasana")
    assert not client.login(username="manager", password="salkku-demo")


def test_a_negative_number_of_ideas_is_refused(debug):
    with pytest.raises(CommandError):
        call_command("seed_demo", "--ideas", "-1", stdout=StringIO())


@pytest.mark.parametrize("valid", ["2252888-5", "0828308-4", "2077474-0", "0170262-9"])
def test_business_id_check_digit(valid):
    digits, check = valid.split("-")
    assert demo.business_id_check_digit(digits) == int(check)


def test_no_check_digit_when_the_remainder_is_one():
    def remainder(digits: str) -> int:
        return sum(int(d) * w for d, w in zip(digits, demo.BUSINESS_ID_WEIGHTS)) % 11

    digits = next(d for d in (f"{n:07d}" for n in range(1_000_000, 1_001_000)) if remainder(d) == 1)
    assert demo.business_id_check_digit(digits) is None
    with pytest.raises(ValidationError):
        validate_business_id(f"{digits}-0")
