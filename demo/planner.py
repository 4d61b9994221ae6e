"""Demo data: the planner that turns a seeded random generator into idea plans."""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from demo.data import (
    AKKE_PERIOD,
    AKKE_PERIOD_SHARE,
    DROP_REASONS,
    DROPPED_FROM,
    GOALS,
    MOVE_NOTES,
    PARTNER_REGIONS,
    PROFILES,
    REFORM_NOTES,
    REJECTED_FIRST_SHARE,
    RESUBMIT_ELSEWHERE,
    REVIVAL_NOTES,
    REVIVED_SHARE,
    SECTORS,
    STAGE_MIX,
    TOPICS,
    Profile,
    Topic,
)
from demo.plans import (
    ApplicationPlan,
    IdeaPlan,
    ImplementationPlan,
    MemberPlan,
    MovePlan,
)
from demo.world import DemoWorld, _zone
from funding.models import FundingApplication, Implementation
from portfolio.models import ConsortiumMember, Contact, Organisation, Region, RoadshowEvent, Theme
from portfolio.stages import Stage

Role = ConsortiumMember.Role
Status = ConsortiumMember.Status
AppStatus = FundingApplication.Status
Health = Implementation.Health

EARLIEST_IDEA = date(2022, 1, 10)
# Ideas still open (idea, consortium, application, implementation) entered their present
# stage at most this many days before "today": the demo's pipeline is alive, and nothing
# waits for years. Finished and dropped stories may lie anywhere in the past.
RECENT_DAYS = 330
OPEN_STAGES = frozenset({Stage.IDEA, Stage.CONSORTIUM, Stage.APPLICATION, Stage.IMPLEMENTATION})


def last_history_day(today: date) -> date:
    """The last day anything in the demo history happens (creations, moves, submissions,
    decisions): the day before ``today``, so that no time of it is later than the moment
    the data is written. Planned things (call deadlines, the planned ends of running
    implementations, calendar entries) may lie after it."""
    return today - timedelta(days=1)


def _round_down(value: float, step: int) -> int:
    return int(value // step) * step


CENTS = Decimal("0.01")


def _money(euros: int) -> Decimal:
    return Decimal(euros).quantize(CENTS)


@dataclass
class _Script:
    """An idea's timeline in days from its creation, before it is placed on the calendar."""

    target: str
    goal: str  # the furthest stage reached (for dropped ideas: where they were dropped)
    moves: list[tuple[int, str, str]] = field(default_factory=list)
    applications: list[tuple[str, str, int | None, int | None, int]] = field(
        default_factory=list
    )  # instrument, status, submitted day, decided day, recorded day
    consortium_moves: list[int] = field(default_factory=list)  # indexes into moves
    implementation: tuple[int, int, int | None, str] | None = None  # start, end, report, health
    early_interest: bool = False
    span: int = 0

    @property
    def settled(self) -> int:
        """The day the idea entered the stage it ends in."""
        return self.moves[-1][0] if self.moves else 0

    def move(self, day: int, stage: str, note: str = "") -> None:
        if stage == Stage.CONSORTIUM:
            self.consortium_moves.append(len(self.moves))
        self.moves.append((day, stage, note))
        self.span = max(self.span, day)

    def application(
        self, code: str, status: str, submitted: int | None, decided: int | None, recorded: int
    ) -> None:
        self.applications.append((code, status, submitted, decided, recorded))
        self.span = max(self.span, recorded, decided or 0)


class IdeaPlanner:
    """Turns a seeded random generator into idea plans; the same seed gives the same plans."""

    def __init__(self, world: DemoWorld, rng: random.Random, today: date):
        self.world = world
        self.rng = rng
        self.horizon = last_history_day(today)
        self._deck: list[str] = []
        self._profile_codes = list(PROFILES)
        self._profile_weights = [PROFILES[c].weight for c in self._profile_codes]
        self._event_dates = [e.date for e in world.events]
        self._leads: dict[tuple[tuple[str, ...], int | None], list[Organisation]] = {}
        self._others = {
            id(o): [p for p in world.organisations if p is not o] for o in world.organisations
        }
        # Looked up once: a million ideas ask for them millions of times.
        self._zone = _zone()
        self._calls = {
            code: [(c.opens, c.deadline.astimezone(self._zone).date(), c) for c in calls]
            for code, calls in world.calls.items()
        }

    def plans(self, count: int) -> Iterator[IdeaPlan]:
        for _ in range(count):
            yield self.plan()

    def plan(self) -> IdeaPlan:
        r = self.rng
        target = self._next_target()
        code = r.choices(self._profile_codes, self._profile_weights)[0]
        # Long stories may not fit between the first roadshow and today: try again,
        # and after a few tries without the detours (revival, rejected first application).
        for attempt in range(100):
            script = self._script(target, code, detours=attempt < 5)
            anchor = self._anchor(script)
            if anchor is not None:
                break
        else:  # pragma: no cover - the shortest stories always fit
            raise RuntimeError("No demo timeline fits before today.")
        event, created_day = anchor
        return self._flesh_out(script, code, event, created_day)

    def _next_target(self) -> str:
        if not self._deck:
            self._deck = [stage for stage, n in STAGE_MIX.items() for _ in range(n)]
            self.rng.shuffle(self._deck)
        return self._deck.pop()

    # The timeline: which moves and records happen, how many days after the creation.
    def _script(self, target: str, code: str, *, detours: bool) -> _Script:
        r = self.rng
        goal = target
        if target == Stage.DROPPED:
            goal = r.choices(list(DROPPED_FROM), list(DROPPED_FROM.values()))[0]
        s = _Script(target=target, goal=goal)
        day = 0

        def later(low: int, high: int) -> int:
            nonlocal day
            day += r.randint(low, high)
            return day

        if detours and target != Stage.DROPPED and r.random() < REVIVED_SHARE:
            s.move(later(30, 150), Stage.DROPPED, r.choice(DROP_REASONS[Stage.IDEA]))
            s.move(later(60, 270), Stage.IDEA, r.choice(REVIVAL_NOTES))

        if goal == Stage.IDEA:
            s.early_interest = r.random() < 0.4
        else:
            rejected_first = detours and r.random() < REJECTED_FIRST_SHARE
            s.move(later(14, 90), Stage.CONSORTIUM, r.choice(MOVE_NOTES[Stage.CONSORTIUM]))
            if goal != Stage.CONSORTIUM or rejected_first:
                s.move(later(30, 120), Stage.APPLICATION, r.choice(MOVE_NOTES[Stage.APPLICATION]))
                if rejected_first:
                    submitted = later(7, 45)
                    decided = later(60, 180)
                    s.application(code, AppStatus.REJECTED, submitted, decided, submitted)
                    s.move(later(7, 40), Stage.CONSORTIUM, r.choice(REFORM_NOTES))
                    if r.random() < 0.3:
                        code = r.choice([c for c in RESUBMIT_ELSEWHERE if c != code])
                    if goal != Stage.CONSORTIUM:
                        s.move(later(30, 120), Stage.APPLICATION, "Uudistettu hakemus työn alla.")
                self._after_application(s, code, later)
        if target == Stage.DROPPED:
            if goal == Stage.IMPLEMENTATION:
                day = max(day, s.implementation[0]) + r.randint(60, 200)
            s.move(later(14, 120), Stage.DROPPED, r.choice(DROP_REASONS[goal]))
        if s.implementation:
            start, _end, report, _health = s.implementation
            s.span = max(s.span, start, report or 0)
        return s

    def _after_application(self, s: _Script, code: str, later: Callable[[int, int], int]) -> None:
        r = self.rng
        if s.goal == Stage.CONSORTIUM:
            return
        if s.goal == Stage.APPLICATION and s.target == Stage.APPLICATION:
            if r.random() < 0.25:
                s.application(code, AppStatus.DRAFT, None, None, later(3, 30))
            else:
                submitted = later(7, 45)
                s.application(code, AppStatus.SUBMITTED, submitted, None, submitted)
            return
        if s.goal == Stage.APPLICATION:  # dropped after the application failed
            submitted = later(7, 45)
            if r.random() < 0.75:
                s.application(code, AppStatus.REJECTED, submitted, later(60, 180), submitted)
            else:
                s.application(code, AppStatus.WITHDRAWN, submitted, None, submitted)
            return
        submitted = later(7, 45)
        decided = later(60, 180)
        s.application(code, AppStatus.APPROVED, submitted, decided, submitted)
        s.move(later(3, 30), Stage.IMPLEMENTATION, r.choice(MOVE_NOTES[Stage.IMPLEMENTATION]))
        start = decided + r.randint(1, 45)
        if s.target == Stage.COMPLETED:
            end = start + r.randint(180, 730)
            report = end + r.randint(14, 75)
            s.implementation = (start, end, report, r.choice([Health.ON_TRACK] * 4 + [Health.LATE]))
            completed = report + r.randint(0, 30)
            s.move(completed, Stage.COMPLETED, r.choice(MOVE_NOTES[Stage.COMPLETED]))
        else:
            end = start + r.randint(365, 1095)
            if s.target == Stage.DROPPED:
                health = r.choice([Health.LATE, Health.LATE, Health.AT_RISK])
            else:
                health = r.choices(
                    [Health.ON_TRACK, Health.AT_RISK, Health.LATE], [60, 25, 15]
                )[0]
            s.implementation = (start, end, None, health)

    # The calendar: an origin event (usually) and a creation day that lets the story end in
    # time and, for an open idea, reach its present stage recently.
    def _anchor(self, s: _Script) -> tuple[RoadshowEvent | None, date] | None:
        r = self.rng
        latest = self.horizon - timedelta(days=s.span + 3)
        earliest = EARLIEST_IDEA
        if s.target in OPEN_STAGES:
            earliest = max(
                earliest, self.horizon - timedelta(days=RECENT_DAYS + s.settled)
            )
        if latest < earliest:
            return None
        if s.target not in OPEN_STAGES and r.random() < AKKE_PERIOD_SHARE:
            latest = max(earliest, min(latest, AKKE_PERIOD[1]))
        if r.random() < 0.85:
            # Events that leave a creation day 1–45 days after them within the bounds.
            first = bisect.bisect_left(self._event_dates, earliest - timedelta(days=45))
            last = bisect.bisect_left(self._event_dates, latest)
            if first < last:
                event = self.world.events[r.randrange(first, last)]
                low = max(1, (earliest - event.date).days)
                high = min(45, (latest - event.date).days)
                return event, event.date + timedelta(days=r.randint(low, high))
        return None, earliest + timedelta(days=r.randint(0, (latest - earliest).days))

    def _moment(self, day: date) -> datetime:
        """A time in office hours on ``day``."""
        r = self.rng
        return datetime.combine(day, time(r.randint(8, 16), r.randint(0, 59)), tzinfo=self._zone)

    # The content: who, what, how much.
    def _flesh_out(
        self, s: _Script, code: str, event: RoadshowEvent | None, created_day: date
    ) -> IdeaPlan:
        r, world = self.rng, self.world
        profile = PROFILES[code]
        topic, sector = r.choice(TOPICS), r.choice(SECTORS)
        title = f"{topic.title} {sector}"
        if r.random() < 0.45:
            title = f"{topic.acronym} – {title}"
        budget = None
        if s.goal != Stage.IDEA or r.random() < 0.7:
            step = 10_000 if profile.budget_max >= 1_000_000 else 1_000
            budget = max(
                profile.budget_min,
                _round_down(r.uniform(profile.budget_min, profile.budget_max), step),
            )

        def on(day: int) -> date:
            return created_day + timedelta(days=day)

        created_at = self._moment(created_day)
        moves = [MovePlan(stage, self._moment(on(day)), note) for day, stage, note in s.moves]
        plan = IdeaPlan(
            title=title,
            summary="",
            owner=r.choices(world.owners, world.owner_weights)[0],
            origin_event=event,
            themes=[],
            regions=[],
            estimated_budget=_money(budget) if budget is not None else None,
            created_at=created_at,
            moves=moves,
        )
        self._plan_members(plan, s, profile, event, budget)
        lead = next((m.organisation for m in plan.members if m.role == Role.LEAD), None)
        for app_code, status, submitted, decided, recorded in s.applications:
            plan.applications.append(
                self._application(
                    app_code, status, lead, budget, submitted and on(submitted),
                    decided and on(decided), self._moment(on(recorded)),
                )
            )
        if s.implementation:
            start, end, report, health = s.implementation
            approved = next(a for a in plan.applications if a.status == AppStatus.APPROVED)
            move_at = next(m.at for m in moves if m.to_stage == Stage.IMPLEMENTATION)
            plan.implementation = ImplementationPlan(
                lead_organisation=lead,
                start=on(start),
                end=on(end),
                total_budget=approved.total_budget,
                health=health,
                final_report_date=on(report) if report is not None else None,
                at=move_at + timedelta(hours=r.randint(1, 48)),
            )
        plan.themes = self._themes(topic, event)
        plan.regions = self._regions(plan, event)
        plan.summary = self._summary(topic, sector, plan, event)
        return plan

    def _plan_members(
        self,
        plan: IdeaPlan,
        s: _Script,
        profile: Profile,
        event: RoadshowEvent | None,
        budget: int | None,
    ) -> None:
        r, world = self.rng, self.world
        if s.early_interest:
            for organisation in r.sample(world.organisations, r.randint(1, 2)):
                plan.members.append(
                    MemberPlan(
                        organisation, Role.PARTNER, r.choice([Status.INVITED, Status.INTERESTED]),
                        None, self._contact(organisation),
                        plan.created_at + timedelta(hours=r.randint(2, 60)),
                    )
                )
        if not s.consortium_moves:
            return
        formed_at = plan.moves[s.consortium_moves[0]].at
        # A consortium that has applied has a committed lead: the guard of that move.
        applied = len(s.consortium_moves) > 1 or s.goal not in (Stage.IDEA, Stage.CONSORTIUM)
        lead = self._lead(profile, event)
        others = self._others[id(lead)]
        chosen = r.sample(others, r.randint(1, 5))
        if applied:
            lead_status = Status.COMMITTED
            mix = {Status.COMMITTED: 75, Status.INTERESTED: 18, Status.WITHDRAWN: 7}
        elif s.target == Stage.DROPPED:
            lead_status = r.choice([Status.INVITED, Status.INTERESTED, Status.WITHDRAWN])
            mix = {Status.INVITED: 25, Status.INTERESTED: 35, Status.WITHDRAWN: 40}
        else:
            lead_status = r.choices(
                [Status.COMMITTED, Status.INTERESTED, Status.INVITED], [45, 35, 20]
            )[0]
            mix = {Status.INVITED: 30, Status.INTERESTED: 40, Status.COMMITTED: 25,
                   Status.WITHDRAWN: 5}
        statuses = [lead_status, *r.choices(list(mix), list(mix.values()), k=len(chosen))]
        roles = [
            Role.LEAD,
            *r.choices([Role.PARTNER, Role.SUBCONTRACTOR, Role.ASSOCIATE], [75, 15, 10],
                       k=len(chosen)),
        ]
        # Members join within days of the consortium forming, well before any application.
        joined = [formed_at + timedelta(hours=r.randint(1, 60)) for _ in statuses]
        organisations = [lead, *chosen]
        if len(s.consortium_moves) > 1:  # a new partner strengthens the resubmission
            reformed_at = plan.moves[s.consortium_moves[1]].at
            taken = {id(o) for o in chosen}
            newcomer = r.choice([o for o in others if id(o) not in taken])
            organisations.append(newcomer)
            statuses.append(Status.COMMITTED if s.goal != Stage.CONSORTIUM else Status.INTERESTED)
            roles.append(Role.PARTNER)
            joined.append(reformed_at + timedelta(hours=r.randint(1, 60)))
        shares = self._shares(budget, statuses)
        plan.members.extend(
            MemberPlan(o, role, status, share, self._contact(o), at)
            for o, role, status, share, at in zip(
                organisations, roles, statuses, shares, joined, strict=True
            )
        )

    def _lead(self, profile: Profile, event: RoadshowEvent | None) -> Organisation:
        r = self.rng
        region_id = event.host_region_id if event is not None and r.random() < 0.5 else None
        return r.choice(self._lead_candidates(profile.lead_kinds, region_id))

    def _lead_candidates(
        self, kinds: tuple[str, ...], region_id: int | None
    ) -> list[Organisation]:
        key = (kinds, region_id)
        if key not in self._leads:
            candidates = [o for o in self.world.organisations if o.kind in kinds]
            local = [o for o in candidates if o.region_id == region_id]
            self._leads[key] = local or candidates
        return self._leads[key]

    def _shares(self, budget: int | None, statuses: list[str]) -> list[Decimal | None]:
        """Planned budget shares: the lead's the largest, none for invited or withdrawn."""
        r = self.rng
        weights = [
            (r.uniform(3, 6) if i == 0 else r.uniform(0.5, 2))
            if status in (Status.COMMITTED, Status.INTERESTED) and budget
            else 0
            for i, status in enumerate(statuses)
        ]
        total = sum(weights)
        return [
            _money(_round_down(budget * w / total, 100)) if w else None for w in weights
        ]

    def _contact(self, organisation: Organisation) -> Contact | None:
        r = self.rng
        return r.choice(self.world.contacts[organisation.pk]) if r.random() < 0.8 else None

    def _application(
        self,
        code: str,
        status: str,
        applicant: Organisation,
        budget: int | None,
        submitted: date | None,
        decided: date | None,
        at: datetime,
    ) -> ApplicationPlan:
        r = self.rng
        profile = PROFILES[code]
        if code == "bf-innovation-voucher":
            total, requested = 6_250, 5_000  # the voucher's fixed price and subsidy
        else:
            base = budget or profile.budget_min
            total = max(1_000, _round_down(base * r.uniform(0.85, 1.15), 1_000))
            rate = r.uniform(profile.rate_min, profile.rate_max) / 100
            requested = _round_down(total * rate, 100)
        granted = None
        if status == AppStatus.APPROVED:
            granted = requested if r.random() < 0.4 else max(
                100, _round_down(requested * r.uniform(0.7, 1.0), 100)
            )
        call = None
        if submitted is not None:
            call = next(
                (c for opens, deadline, c in self._calls.get(code, [])
                 if opens <= submitted <= deadline),
                None,
            )
        return ApplicationPlan(
            instrument=self.world.instruments[code],
            call=call,
            applicant=applicant,
            reference=self._reference(code, submitted) if submitted else "",
            total_budget=_money(total),
            requested=_money(requested),
            granted=_money(granted) if granted is not None else None,
            status=status,
            submitted_on=submitted,
            decided_on=decided,
            at=at,
        )

    def _reference(self, code: str, submitted: date) -> str:
        r, year = self.rng, submitted.year
        if code == "akke":
            return f"AKKE-{year}-{r.randint(1, 400):03d}"
        if code == "eakr":
            return f"A{r.randint(80000, 89999)}"
        if code == "jtf":
            return f"J{r.randint(10000, 19999)}"
        if code.startswith("bf-"):
            return f"{r.randint(1000, 9999)}/31/{year}"
        if code.startswith("interreg-"):
            return f"IR-{year}-{r.randint(100, 999)}"
        return f"101{r.randint(100000, 999999)}"

    def _themes(self, topic: Topic, event: RoadshowEvent | None) -> list[Theme]:
        r, themes = self.rng, self.world.themes
        slugs = [r.choice(topic.themes)]
        if event is not None:
            slugs += [t.slug for t in r.sample(self.world.event_themes[event.pk], r.randint(1, 2))]
        elif r.random() < 0.5:
            slugs.append(r.choice(topic.themes))
        return [themes[s] for s in dict.fromkeys(slugs)][:3]

    def _regions(self, plan: IdeaPlan, event: RoadshowEvent | None) -> list[Region]:
        r, regions = self.rng, self.world.regions
        codes = [event.host_region.code] if event is not None else []
        codes += [
            m.organisation.region.code for m in plan.members if m.status != Status.WITHDRAWN
        ]
        if not codes:
            codes = [r.choice(PARTNER_REGIONS)]
        if r.random() < 0.3:
            codes.append(r.choice(PARTNER_REGIONS))
        return [regions[c] for c in list(dict.fromkeys(codes))[:4]]

    def _summary(
        self, topic: Topic, sector: str, plan: IdeaPlan, event: RoadshowEvent | None
    ) -> str:
        r = self.rng
        goal = r.choice(GOALS).format(pct=r.randint(10, 35), count=r.randint(3, 12))
        sentences = [f"Hankkeessa {topic.action} {sector}."]
        active = [m for m in plan.members if m.status != Status.WITHDRAWN]
        if len(active) >= 2:
            regions = len({m.organisation.region_id for m in active})
            sentences.append(f"Mukana on {len(active)} organisaatiota {regions} maakunnasta.")
        if event is not None:
            day = event.date
            where = self.world.event_phrases[event.pk]
            sentences.append(f"Idea syntyi {where} {day.day}.{day.month}.{day.year}.")
        sentences.append(f"Tavoitteena on {goal}.")
        return " ".join(sentences)
