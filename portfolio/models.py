from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import end_of_day
from core.models import ACTIVE_WORK, MONEY, BackgroundWork, TimeStamped, Translated, choice_values
from core.text import normal
from portfolio.stages import CLOSED_STAGES, OPEN_STAGES, Stage
from portfolio.validators import BUSINESS_ID_FORM, normalize_business_id, validate_business_id


class Region(Translated, TimeStamped):
    code = models.CharField(_("code"), max_length=2, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=100)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{2}$"), name="region_code_two_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")


class Theme(Translated, TimeStamped):
    name_fi = models.CharField(_("name (Finnish)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    source = models.CharField(
        _("source strategy"),
        max_length=200,
        blank=True,
        help_text=_("The strategy or roadmap the theme comes from."),
    )
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.CheckConstraint(condition=~Q(name_fi=""), name="theme_name_required"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="theme_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")


class BusinessIdField(models.CharField):
    """Y-tunnus: surrounding spaces stripped before validation and before saving."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 9)
        kwargs.setdefault("validators", [validate_business_id])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("validators") == [validate_business_id]:
            del kwargs["validators"]
        if kwargs.get("max_length") == 9:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def to_python(self, value):
        return normalize_business_id(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = normalize_business_id(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    RESEARCH = "research", _("Research organisation")
    EDUCATION = "education", _("Education institution")
    PUBLIC = "public", _("Public organisation")
    OTHER = "other", _("Other")

class OrganisationSize(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium-sized")
    LARGE = "large", _("Large")
    NOT_APPLICABLE = "na", _("Not applicable")


class OrganisationQuerySet(models.QuerySet):
    def search(self, text: str) -> OrganisationQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(business_id__startswith=text))


class Organisation(TimeStamped):
    Kind = OrganisationKind
    Size = OrganisationSize

    name = models.CharField(_("name"), max_length=200)
    business_id = BusinessIdField(
        _("business ID (Y-tunnus)"), blank=True, help_text=_("For example 2252888-5.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    size = models.CharField(
        _("size class"), max_length=10, choices=Size.choices, default=Size.NOT_APPLICABLE
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="organisation_name_required"),
            models.UniqueConstraint(
                fields=["business_id"],
                condition=~Q(business_id=""),
                name="organisation_business_id_unique",
                violation_error_message=_("An organisation with this Y-tunnus already exists."),
            ),
            models.CheckConstraint(
                condition=Q(business_id="") | Q(business_id__regex=BUSINESS_ID_FORM.pattern),
                name="organisation_business_id_form",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=choice_values(OrganisationKind)), name="organisation_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(size__in=choice_values(OrganisationSize)), name="organisation_size_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(TimeStamped):
    """A person at an organisation. Personal data: never shown to funders."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="contact_name_required"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class EventFormat(models.TextChoices):
    ONSITE = "onsite", _("On-site")
    HYBRID = "hybrid", _("Hybrid")
    ONLINE = "online", _("Online")


class RoadshowEvent(TimeStamped):
    Format = EventFormat
    CONSTRAINT_FIELDS = {
        "event_onsite_has_no_online_participants": "participants_online",
        "event_online_has_no_onsite_participants": "participants_onsite",
    }

    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    host_region = models.ForeignKey(
        Region, verbose_name=_("host region"), on_delete=models.PROTECT, related_name="events"
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.HYBRID
    )
    host_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("host organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_events",
    )
    participants_onsite = models.PositiveIntegerField(_("on-site participants"), default=0)
    participants_online = models.PositiveIntegerField(_("online participants"), default=0)
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("attending organisations"),
        blank=True,
        related_name="attended_events",
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="events"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("roadshow event")
        verbose_name_plural = _("roadshow events")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="event_title_required"),
            models.CheckConstraint(
                condition=Q(format__in=choice_values(EventFormat)), name="event_format_valid"
            ),
            models.CheckConstraint(
                condition=~Q(format="onsite") | Q(participants_online=0),
                name="event_onsite_has_no_online_participants",
                violation_error_message=_(
                    "An on-site event has no online participants; choose the hybrid format."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(format="online") | Q(participants_onsite=0),
                name="event_online_has_no_onsite_participants",
                violation_error_message=_(
                    "An online event has no on-site participants; choose the hybrid format."
                ),
            ),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        # The short date as every page writes it (2.12.2026).
        return f"{self.title} ({date_format(self.date, 'SHORT_DATE_FORMAT')})"

    @property
    def participants(self) -> int:
        return self.participants_onsite + self.participants_online


class IdeaQuerySet(models.QuerySet):
    # Titles are compared by ``core.text.normal`` (letter case and spaces aside), the one
    # rule of the import, the form and the API. It runs in Python over every title: the
    # database's lower() is ASCII-only in SQLite.
    def title_keys(self) -> set[str]:
        """Every title of these ideas as compared."""
        return {normal(title) for title in self.values_list("title", flat=True).iterator()}

    def same_title(self, title: str) -> list[Idea]:
        """The ideas whose title is ``title`` as compared, oldest first."""
        key = normal(title)
        if not key:
            return []
        pks = [
            pk
            for pk, existing in self.values_list("pk", "title").iterator()
            if normal(existing) == key
        ]
        return list(self.model.objects.filter(pk__in=pks).order_by("created_at", "pk"))

    def with_tag_ids(self) -> IdeaQuerySet:
        """Each idea read with ``prefetched_themes`` and ``prefetched_regions``: the ids of
        its themes (by Finnish name) and regions (by code), for the whole batch from one
        query over both link tables, as plain ids. The API answers with nothing more; two
        prefetches building a model instance per tag took a third of a page's time."""
        clone = self._chain()
        clone._with_tag_ids = True
        return clone

    def _clone(self) -> IdeaQuerySet:
        clone = super()._clone()
        clone._with_tag_ids = getattr(self, "_with_tag_ids", False)
        return clone

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and getattr(self, "_with_tag_ids", False):
            ideas = [row for row in self._result_cache if isinstance(row, Idea)]
            if ideas:
                _attach_tag_ids(ideas)

    def open(self) -> IdeaQuerySet:
        return self.filter(stage__in=OPEN_STAGES)

    def closed(self) -> IdeaQuerySet:
        return self.filter(stage__in=CLOSED_STAGES)

    def in_stage(self, *stages: str) -> IdeaQuerySet:
        return self.filter(stage__in=stages)

    def with_stalled(self, *, now: datetime | None = None) -> IdeaQuerySet:
        """Each idea annotated with ``stalled_rule``: the rule of ``portfolio.stalled`` that
        finds it stalled at ``now`` (default: now), or None."""
        from portfolio import stalled

        return self.annotate(**stalled.current_basis(self)).annotate(
            **{stalled.STALLED: stalled.stalled_rule(now or timezone.now())}
        )

    def stalled(self, *, now: datetime | None = None) -> IdeaQuerySet:
        """The ideas stalled at ``now`` by the rule of ``portfolio.stalled``, annotated."""
        from portfolio import stalled

        now = now or timezone.now()
        return (
            self.filter(stalled.may_be_stalled(now))
            .with_stalled(now=now)
            .filter(**{f"{stalled.STALLED}__isnull": False})
        )

    def as_of(self, day: date) -> IdeaQuerySet:
        """Ideas that existed at the end of ``day``, annotated with ``stage_as_of``.

        The answer comes from the stage history alone, so later moves do not change it.
        """
        latest = (
            StageTransition.objects.filter(idea=OuterRef("pk"), at__lt=end_of_day(day))
            .order_by("-at", "-pk")
            .values("to_stage")[:1]
        )
        return self.annotate(stage_as_of=Subquery(latest)).filter(stage_as_of__isnull=False)


def _attach_tag_ids(ideas: list[Idea]) -> None:
    by_pk = {idea.pk: idea for idea in ideas}
    for idea in ideas:
        idea.prefetched_themes, idea.prefetched_regions = [], []
    through_themes = Idea.themes.through.objects.filter(idea_id__in=by_pk).annotate(
        kind=Value("t", output_field=models.CharField()), key=F("theme__name_fi")
    )
    through_regions = Idea.regions.through.objects.filter(idea_id__in=by_pk).annotate(
        kind=Value("r", output_field=models.CharField()), key=F("region__code")
    )
    pairs = through_themes.values_list("idea_id", "theme_id", "kind", "key").union(
        through_regions.values_list("idea_id", "region_id", "kind", "key"), all=True
    )
    # Themes by their Finnish name and regions by code, as the models order them.
    for idea_id, tag_id, kind, _key in sorted(pairs, key=lambda row: (row[3], row[1])):
        idea = by_pk[idea_id]
        (idea.prefetched_themes if kind == "t" else idea.prefetched_regions).append(tag_id)


class Idea(TimeStamped):
    """An item of the pipeline. Its stage changes only through ``services.idea_move``."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    origin_event = models.ForeignKey(
        RoadshowEvent,
        verbose_name=_("origin event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="ideas"
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("involved regions"), blank=True, related_name="ideas"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_ideas",
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.IDEA, editable=False
    )
    stage_entered_at = models.DateTimeField(
        _("in this stage since"), default=timezone.now, editable=False
    )
    estimated_budget = models.DecimalField(
        _("estimated budget (€)"), null=True, blank=True, **MONEY
    )
    drop_reason = models.TextField(_("drop reason"), blank=True, editable=False)
    # Bumped by every stage move; the stage service's compare-and-set checks it.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[themes, regions], excluded_fields=["version"])
    objects = IdeaQuerySet.as_manager()
    CONSTRAINT_FIELDS = {"idea_budget_not_negative": "estimated_budget"}

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="idea_title_required"),
            models.CheckConstraint(
                condition=Q(stage__in=choice_values(Stage)), name="idea_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(estimated_budget__isnull=True) | Q(estimated_budget__gte=0),
                name="idea_budget_not_negative",
                violation_error_message=_("The estimated budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.DROPPED) | Q(drop_reason__regex=r"\S"),
                name="idea_dropped_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(stage=Stage.DROPPED) | Q(drop_reason=""),
                name="idea_reason_only_when_dropped",
            ),
        ]
        indexes = [
            # The board's cards: each column's newest by a short range scan in the order
            # asked for (stage_entered_at DESC, id DESC), with no sort, on both databases.
            models.Index(fields=["stage", "-stage_entered_at", "-id"], name="idea_board_cards_idx"),
            models.Index(fields=["-created_at"]),
            # Covers the board's per-stage count and € sum: the database reads this small
            # index instead of every idea row (28 ms instead of 41 ms at 100 000 on SQLite).
            models.Index(fields=["stage", "estimated_budget"], name="idea_stage_budget_idx"),
        ]

    # Written only by the stage service; a save of a stale copy must not put them back.
    STAGE_FIELDS = frozenset({"stage", "stage_entered_at", "drop_reason", "version"})

    def __str__(self) -> str:
        return self.title

    def section_url(self, section: str) -> str:
        """The idea's page at one of its sections (consortium, applications, platforms…),
        where the pages that change that section send the browser back."""
        return f"{reverse('idea-detail', args=[self.pk])}#{section}"

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.STAGE_FIELDS
            ]
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class MemberRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    SUBCONTRACTOR = "subcontractor", _("Subcontractor")
    ASSOCIATE = "associate", _("Associate")

class MemberStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    INTERESTED = "interested", _("Interested")
    COMMITTED = "committed", _("Committed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsortiumMember(TimeStamped):
    Role = MemberRole
    Status = MemberStatus
    CONSTRAINT_FIELDS = {
        "consortium_organisation_once_per_idea": "organisation",
        "consortium_one_lead_per_idea": "role",
        "consortium_budget_share_not_negative": "budget_share",
    }

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="consortium_members"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.INVITED
    )
    budget_share = models.DecimalField(
        _("planned budget share (€)"), null=True, blank=True, **MONEY
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["idea", "role", "organisation__name"]
        verbose_name = _("consortium member")
        verbose_name_plural = _("consortium members")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "organisation"],
                name="consortium_organisation_once_per_idea",
                violation_error_message=_("This organisation is already in the consortium."),
            ),
            models.UniqueConstraint(
                fields=["idea"],
                condition=Q(role="lead"),
                name="consortium_one_lead_per_idea",
                violation_error_message=_(
                    "The consortium already has a lead organisation; make this one a partner "
                    "or change the current lead first."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role__in=choice_values(MemberRole)), name="consortium_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=choice_values(MemberStatus)), name="consortium_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(budget_share__isnull=True) | Q(budget_share__gte=0),
                name="consortium_budget_share_not_negative",
                violation_error_message=_("The budget share cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()}"

    def clean(self) -> None:
        if self.contact_id and self.organisation_id and (
            self.contact.organisation_id != self.organisation_id
        ):
            raise ValidationError(
                {"contact": _("The contact person must work at the member organisation.")}
            )


class StageTransitionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Stage transitions are append-only.")


class StageTransition(models.Model):
    """One move of an idea. Append-only: the history behind every "as of" answer."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_stage = models.CharField(
        _("from stage"), max_length=20, choices=Stage.choices, blank=True
    )
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Stage.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = StageTransitionQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("stage transition")
        verbose_name_plural = _("stage transitions")
        constraints = [
            models.CheckConstraint(
                condition=Q(from_stage="") | Q(from_stage__in=choice_values(Stage)),
                name="transition_from_stage_valid",
            ),
            models.CheckConstraint(
                condition=Q(to_stage__in=choice_values(Stage)), name="transition_to_stage_valid"
            ),
            models.CheckConstraint(
                condition=~Q(from_stage=F("to_stage")), name="transition_changes_stage"
            ),
        ]
        indexes = [models.Index(fields=["idea", "at"]), models.Index(fields=["at"])]

    def __str__(self) -> str:
        start = self.get_from_stage_display() if self.from_stage else "—"
        return f"{start} → {self.get_to_stage_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Stage transitions are append-only.")
        super().save(*args, **kwargs)


class IdeaImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    IMPORTED = "imported", _("Imported")


class IdeaImportQuerySet(models.QuerySet):
    def pending(self) -> IdeaImportQuerySet:
        return self.filter(status=IdeaImportStatus.PENDING)

    def unconfirmed_before(self, moment: datetime) -> IdeaImportQuerySet:
        return self.pending().filter(created_at__lt=moment)


class IdeaImport(TimeStamped):
    """An uploaded spreadsheet of ideas and organisations, kept between the preview and the
    confirmation so that the confirmation re-checks exactly the file that was previewed.
    An imported file stays as the record of what was brought in, by whom and when."""

    Status = IdeaImportStatus

    file = models.BinaryField(_("file"))
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    ideas = models.ManyToManyField(
        Idea, verbose_name=_("ideas created"), blank=True, related_name="+"
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations created"), blank=True, related_name="+"
    )

    objects = IdeaImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("idea import")
        verbose_name_plural = _("idea imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=choice_values(IdeaImportStatus)),
                name="idea_import_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="idea_import_sha256_hex"
            ),
            models.CheckConstraint(
                condition=Q(status=IdeaImportStatus.PENDING, imported_at__isnull=True)
                | Q(status=IdeaImportStatus.IMPORTED, imported_at__isnull=False),
                name="idea_import_imported_at_when_imported",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.filename


class IdeaImportAction(models.TextChoices):
    CHECK = "check", _("Check")
    CONFIRM = "confirm", _("Import")


class IdeaImportRun(BackgroundWork):
    """A check or a confirmation of an uploaded workbook, done by the task worker
    (``portfolio.tasks``). A check keeps what it found — the counts, and the preview as it
    was shown, in the language of whoever asked — until the next check or confirmation."""

    Action = IdeaImportAction

    upload = models.ForeignKey(
        IdeaImport, verbose_name=_("upload"), on_delete=models.CASCADE, related_name="runs"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the check found (set when it is done): the problems, and what would be created.
    problems = models.PositiveIntegerField(_("problems"), null=True, blank=True)
    ideas = models.PositiveIntegerField(_("ideas"), null=True, blank=True)
    organisations = models.PositiveIntegerField(_("new organisations"), null=True, blank=True)
    # Set when the file cannot be read at all: why, in words.
    refused = models.TextField(_("refused because"), blank=True)
    # The preview's tables rendered when the check was made (autoescaped then), shown as
    # they were rather than made again from the file on every visit.
    result_html = models.TextField(_("result"), blank=True)
    imported = models.BooleanField(_("imported"), default=False)

    class Meta(BackgroundWork.Meta):
        ordering = ["-created_at", "-pk"]
        verbose_name = _("idea import check")
        verbose_name_plural = _("idea import checks")
        constraints = [
            *BackgroundWork.Meta.constraints,
            models.CheckConstraint(
                condition=Q(action__in=choice_values(IdeaImportAction)),
                name="idea_import_run_action_valid",
            ),
            # One check or confirmation of an upload at a time: a double-clicked "Confirm"
            # queues one task, and no confirmation starts while a check is still going.
            models.UniqueConstraint(
                fields=["upload"],
                condition=Q(status__in=ACTIVE_WORK),
                name="idea_import_one_run_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.upload_id} ({self.status})"

    @property
    def can_confirm(self) -> bool:
        """A finished check that found nothing wrong."""
        return (
            self.action == IdeaImportAction.CHECK
            and self.status == BackgroundWork.Status.SUCCEEDED
            and self.problems == 0
            and not self.refused
        )
