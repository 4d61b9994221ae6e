"""factory-boy factories; traits put an idea into a stage with the records its guards need."""

import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from openpyxl import Workbook

from accounts.permissions import FUNDERS_GROUP, MANAGERS_GROUP
from dashboards.models import ReportRequest, ReportRun
from funding.models import (
    FundingApplication,
    FundingCall,
    FundingInstrument,
    Implementation,
)
from network.models import DevelopmentNeed, Platform
from portfolio.imports.columns import IDEA_COLUMNS, ORGANISATION_COLUMNS
from portfolio.models import (
    ConsortiumMember,
    Contact,
    Idea,
    IdeaImport,
    IdeaImportRun,
    Organisation,
    Region,
    RoadshowEvent,
    Theme,
)
from portfolio.stages import Stage
from vuosikello.models import CalendarEntry

# Valid Y-tunnus values are generated from a sequence: 7 digits plus the computed check digit.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id(n: int) -> str:
    while True:
        digits = f"{n % 10_000_000:07d}"
        remainder = sum(int(d) * w for d, w in zip(digits, WEIGHTS)) % 11
        if remainder != 1:
            return f"{digits}-{0 if remainder == 0 else 11 - remainder}"
        n += 1


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.fi")
    password = factory.django.Password("pw-for-tests")

    class Params:
        manager = factory.Trait(
            groups=factory.PostGeneration(
                lambda user, create, extracted, **kw: user.groups.add(
                    Group.objects.get(name=MANAGERS_GROUP)
                )
            )
        )
        funder = factory.Trait(
            groups=factory.PostGeneration(
                lambda user, create, extracted, **kw: user.groups.add(
                    Group.objects.get(name=FUNDERS_GROUP)
                )
            )
        )
        admin = factory.Trait(is_superuser=True, is_staff=True)


def region(code: str = "06") -> Region:
    return Region.objects.get(code=code)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name_fi = factory.Sequence(lambda n: f"Teema {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Yritys {n} Oy")
    business_id = factory.Sequence(lambda n: business_id(1_000_000 + n * 37))
    kind = Organisation.Kind.COMPANY
    size = Organisation.Size.SMALL
    region = factory.LazyFunction(region)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"contact{n}@example.fi")


class RoadshowEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadshowEvent

    title = factory.Sequence(lambda n: f"Roadshow {n}")
    date = date(2023, 3, 15)
    host_region = factory.LazyFunction(region)
    city = "Tampere"
    format = RoadshowEvent.Format.HYBRID
    participants_onsite = 30
    participants_online = 20


class IdeaFactory(factory.django.DjangoModelFactory):
    """An idea with its first history row. Traits set up what each later stage requires,
    then move the idea there through the stage service."""

    class Meta:
        model = Idea
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Idea {n}")
    summary = "Shared test line for SMEs"
    owner = factory.SubFactory(UserFactory, manager=True)
    estimated_budget = Decimal("100000.00")

    class Params:
        in_consortium = factory.Trait(target_stage=Stage.CONSORTIUM)
        in_application = factory.Trait(target_stage=Stage.APPLICATION)
        in_implementation = factory.Trait(target_stage=Stage.IMPLEMENTATION)
        completed = factory.Trait(target_stage=Stage.COMPLETED)
        dropped = factory.Trait(target_stage=Stage.DROPPED)
        target_stage = Stage.IDEA

    # Carries the trait's stage into _create, which takes it out before creating the idea.
    stage_to_reach = factory.SelfAttribute("target_stage")

    @classmethod
    def _create(cls, model_class, *args, stage_to_reach=Stage.IDEA, **kwargs):
        from portfolio.services import idea_create

        idea = idea_create(by=kwargs.get("owner"), **kwargs)
        if stage_to_reach != Stage.IDEA:
            advance(idea, stage_to_reach)
        return idea


PATH = [Stage.CONSORTIUM, Stage.APPLICATION, Stage.IMPLEMENTATION, Stage.COMPLETED]


def advance(idea: Idea, target: str, at: datetime | None = None) -> Idea:
    """Walk ``idea`` along the pipeline to ``target``, creating what each guard needs; with
    ``at``, every move is dated then."""
    from portfolio.services import idea_move

    by = idea.owner
    if target == Stage.DROPPED:
        return idea_move(
            idea=idea, to_stage=Stage.DROPPED, by=by, note="No partners found", at=at
        )
    for stage in PATH:
        if stage == Stage.APPLICATION:
            ConsortiumMemberFactory(
                idea=idea, role=ConsortiumMember.Role.LEAD,
                status=ConsortiumMember.Status.COMMITTED,
            )
        elif stage == Stage.IMPLEMENTATION:
            FundingApplicationFactory(idea=idea, approved=True)
        elif stage == Stage.COMPLETED:
            ImplementationFactory(idea=idea, end=timezone.localdate() - timedelta(days=1))
        idea = idea_move(idea=idea, to_stage=stage, by=by, at=at)
        if stage == target:
            break
    return idea


class ConsortiumMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsortiumMember

    idea = factory.SubFactory(IdeaFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = ConsortiumMember.Role.PARTNER
    status = ConsortiumMember.Status.INTERESTED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the service, like every write: a budget share moves the idea's money in
        # the dashboards' summaries.
        from portfolio.services import consortium_member_save

        return consortium_member_save(member=model_class(*args, **kwargs), by=None)


def instrument(code: str = "akke") -> FundingInstrument:
    return FundingInstrument.objects.get(code=code)


class FundingCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingCall

    instrument = factory.LazyFunction(instrument)
    title = factory.Sequence(lambda n: f"Call {n}")
    opens = date(2023, 1, 1)
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))


class FundingApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingApplication

    idea = factory.SubFactory(IdeaFactory)
    instrument = factory.LazyFunction(instrument)
    applicant = factory.SubFactory(OrganisationFactory)
    total_budget = Decimal("200000.00")
    requested = Decimal("150000.00")
    status = FundingApplication.Status.SUBMITTED
    submitted_on = date(2023, 4, 1)

    class Params:
        approved = factory.Trait(
            status=FundingApplication.Status.APPROVED,
            granted=Decimal("120000.00"),
            decided_on=date(2023, 6, 1),
        )
        rejected = factory.Trait(
            status=FundingApplication.Status.REJECTED, decided_on=date(2023, 6, 1)
        )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the service, like every write: it keeps the dashboards' summaries current.
        from funding.services import application_save

        return application_save(application=model_class(*args, **kwargs), by=None)


class UncheckedConsortiumMemberFactory(ConsortiumMemberFactory):
    """Saved straight to the database, past the service's rules: for tests of the database
    constraints themselves. The dashboards' summaries do not see it."""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create(*args, **kwargs)


class UncheckedFundingApplicationFactory(FundingApplicationFactory):
    """Saved straight to the database, past the service's rules: for rows the rules refuse
    today but an older database may hold. The dashboards' summaries do not see it."""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create(*args, **kwargs)


class ImplementationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Implementation

    idea = factory.SubFactory(IdeaFactory)
    lead_organisation = factory.SubFactory(OrganisationFactory)
    start = date(2023, 7, 1)
    total_budget = Decimal("200000.00")


# Spreadsheet import ------------------------------------------------------------------


def import_xlsx(
    ideas: list[dict] = (), organisations: list[dict] = (), *, sheets: tuple[str, ...] = ()
) -> bytes:
    """A workbook laid out like the import template, with English headers. Rows are dicts
    by column key (``portfolio.imports.columns``); a value starting with "=" is a formula."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, columns, rows in (
        ("Ideas", IDEA_COLUMNS, ideas),
        ("Organisations", ORGANISATION_COLUMNS, organisations),
    ):
        if sheets and title not in sheets:
            continue
        sheet = workbook.create_sheet(title)
        sheet.append([column.title() for column in columns])
        for row in rows:
            sheet.append([row.get(column.key) for column in columns])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


class IdeaImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdeaImport

    file = factory.LazyFunction(lambda: import_xlsx([{"title": "Imported idea"}]))
    filename = "ideas.xlsx"
    size = factory.LazyAttribute(lambda upload: len(upload.file))
    sha256 = factory.LazyAttribute(lambda upload: hashlib.sha256(upload.file).hexdigest())
    by = factory.SubFactory(UserFactory, manager=True)


class IdeaImportRunFactory(factory.django.DjangoModelFactory):
    """A check of an upload that failed (so it holds no lock on the upload)."""

    class Meta:
        model = IdeaImportRun

    upload = factory.SubFactory(IdeaImportFactory)
    action = IdeaImportRun.Action.CHECK
    by = factory.SelfAttribute("upload.by")
    language = "en"
    status = IdeaImportRun.Status.FAILED
    error = "The worker stopped."


# Network tools: shared platforms and development needs ---------------------------------------


class PlatformFactory(factory.django.DjangoModelFactory):
    """A platform; ``themes=[...]`` and ``ideas=[...]`` set its many-to-many links."""

    class Meta:
        model = Platform
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testiympäristö {n}")
    kind = Platform.Kind.TEST_ENVIRONMENT
    host_organisation = factory.SubFactory(OrganisationFactory)
    region = factory.LazyAttribute(lambda platform: platform.host_organisation.region)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def ideas(self, create, extracted, **kwargs):
        if create and extracted:
            self.ideas.set(extracted)


class DevelopmentNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentNeed

    need = factory.Sequence(lambda n: f"Kehittämistarve {n}")
    theme = factory.SubFactory(ThemeFactory)
    status = DevelopmentNeed.Status.OPEN


# The annual calendar (vuosikello) -------------------------------------------------------------


class CalendarEntryFactory(factory.django.DjangoModelFactory):
    """An all-day entry; pass ``starts_at`` (and ``starts_on=None``) for a timed one."""

    class Meta:
        model = CalendarEntry

    title = factory.Sequence(lambda n: f"Ohjausryhmä {n}")
    category = CalendarEntry.Category.STEERING_GROUP
    starts_on = date(2024, 5, 14)


# Stored reports ------------------------------------------------------------------------------


class ReportRequestFactory(factory.django.DjangoModelFactory):
    """A Q2/2023 report asked for and still queued (no task: the worker never sees it)."""

    class Meta:
        model = ReportRequest

    period_start = date(2023, 4, 1)
    period_end = date(2023, 6, 30)
    language = "fi"
    created_by = factory.SubFactory(UserFactory, manager=True)
    steps = 4


class ReportRunFactory(factory.django.DjangoModelFactory):
    """A stored Q2/2023 report whose file is a few stand-in bytes, with their real SHA-256."""

    class Meta:
        model = ReportRun

    period_start = date(2023, 4, 1)
    period_end = date(2023, 6, 30)
    year = 2023
    quarter = 2
    language = "fi"
    created_by = factory.SubFactory(UserFactory, manager=True)
    content = factory.Sequence(lambda n: f"report {n}".encode())
    sha256 = factory.LazyAttribute(lambda run: hashlib.sha256(run.content).hexdigest())
    size = factory.LazyAttribute(lambda run: len(run.content))

    class Params:
        # A stand-in PDF beside the workbook, stored whole as the constraint asks.
        with_pdf = factory.Trait(
            pdf=b"%PDF-1.7 stand-in",
            pdf_sha256=hashlib.sha256(b"%PDF-1.7 stand-in").hexdigest(),
            pdf_size=len(b"%PDF-1.7 stand-in"),
        )
