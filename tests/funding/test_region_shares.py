"""The one rule that shares an idea's € out among regions (funding.selectors): by the
consortium's planned budget shares by member region, else equally among the idea's regions,
else under "no region" — worked out by hand."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from funding.selectors import (
    NO_REGION,
    MemberShare,
    Splits,
    region_split,
    region_splits,
    share_out,
    shared_by_region,
)
from portfolio.models import ConsortiumMember
from tests.factories import ConsortiumMemberFactory, IdeaFactory, OrganisationFactory, region

HELSINKI = ZoneInfo("Europe/Helsinki")
D = Decimal


def test_by_budget_shares_by_member_region():
    # 60 000 € planned in region 1, 30 000 + 10 000 € in region 2: 60 % and 40 %.
    split = region_split([1, 2, 3], [MemberShare(1, D(60000)), MemberShare(2, D(30000)),
                                     MemberShare(2, D(10000))])
    assert split == {1: Fraction(3, 5), 2: Fraction(2, 5)}
    # A member's region counts even when the idea does not name it.
    assert region_split([1], [MemberShare(7, D(1))]) == {7: Fraction(1)}


def test_members_without_a_share_are_left_out_and_the_others_carry_the_plan():
    split = region_split([1, 2], [MemberShare(1, D(5000)), MemberShare(2, None),
                                  MemberShare(2, D(0))])
    assert split == {1: Fraction(1)}


def test_without_any_share_equally_among_the_ideas_regions():
    assert region_split([5, 1, 5]) == {1: Fraction(1, 2), 5: Fraction(1, 2)}
    assert region_split([1, 2, 3], [MemberShare(1, None)]) == {
        1: Fraction(1, 3), 2: Fraction(1, 3), 3: Fraction(1, 3)
    }


def test_a_share_of_a_member_without_a_region_goes_equally_to_the_ideas_regions():
    # 30 000 € placed in region 1; 10 000 € of a member with no region, half to each of
    # the idea's regions 1 and 2: region 1 gets 35 000 / 40 000, region 2 5 000 / 40 000.
    split = region_split([1, 2], [MemberShare(1, D(30000)), MemberShare(None, D(10000))])
    assert split == {1: Fraction(7, 8), 2: Fraction(1, 8)}


def test_no_region_anywhere_is_the_no_region_row():
    assert region_split([]) == {NO_REGION: Fraction(1)}
    assert region_split([], [MemberShare(None, D(100))]) == {NO_REGION: Fraction(1)}
    assert region_split([], [MemberShare(None, D(100)), MemberShare(4, D(100))]) == {
        4: Fraction(1, 2), NO_REGION: Fraction(1, 2)
    }


def test_shares_are_cents_that_add_up_to_the_amount():
    # 100 € in three: 33,34 + 33,33 + 33,33; the odd cent to the first region by code.
    assert share_out(D("100.00"), region_split([3, 1, 2])) == {
        1: D("33.34"), 2: D("33.33"), 3: D("33.33")
    }
    # 0,05 € in 1/3 and 2/3: 1,67 and 3,33 cents exact → the larger remainder gets the cent.
    assert share_out(D("0.05"), {1: Fraction(1, 3), 2: Fraction(2, 3)}) == {
        1: D("0.02"), 2: D("0.03")
    }
    for amount in ("0.01", "10.00", "999999.99", "1234567.89"):
        parts = share_out(D(amount), region_split([1, 2, 3, 4, 5, 6, 7]))
        assert sum(parts.values()) == D(amount)


def test_shared_by_region_adds_the_ideas_up_to_their_total():
    splits = Splits({10: {1: Fraction(1, 2), 2: Fraction(1, 2)}, 11: {2: Fraction(1)}})
    shared = shared_by_region({10: D("120000"), 11: D("15000"), 12: D("30000")}, splits)
    # Idea 12 has no split: it is under "no region".
    assert shared == {1: D("60000"), 2: D("75000"), NO_REGION: D("30000")}


@pytest.mark.django_db
def test_region_splits_reads_the_ideas_regions_and_consortia_in_one_query(
    django_assert_num_queries,
):
    pirkanmaa, uusimaa, lappi = region("06"), region("01"), region("19")
    equal = IdeaFactory(regions=[pirkanmaa, uusimaa])
    planned = IdeaFactory(regions=[pirkanmaa, uusimaa])
    ConsortiumMemberFactory(idea=planned, organisation=OrganisationFactory(region=lappi),
                            budget_share=D("75000"))
    ConsortiumMemberFactory(idea=planned, organisation=OrganisationFactory(region=pirkanmaa),
                            budget_share=D("25000"))
    # A withdrawn member's share is no longer the plan.
    ConsortiumMemberFactory(idea=planned, organisation=OrganisationFactory(region=uusimaa),
                            budget_share=D("900000"), status=ConsortiumMember.Status.WITHDRAWN)
    nowhere = IdeaFactory(regions=[])
    with django_assert_num_queries(1):
        splits = region_splits([equal.pk, planned.pk, nowhere.pk])
    assert splits[equal.pk] == {pirkanmaa.pk: Fraction(1, 2), uusimaa.pk: Fraction(1, 2)}
    assert splits[planned.pk] == {lappi.pk: Fraction(3, 4), pirkanmaa.pk: Fraction(1, 4)}
    assert splits[nowhere.pk] == {NO_REGION: Fraction(1)}


@pytest.mark.django_db
def test_region_splits_as_at_a_moment_read_the_consortium_as_it_then_was():
    pirkanmaa, uusimaa = region("06"), region("01")
    idea = IdeaFactory(regions=[pirkanmaa, uusimaa])
    member = ConsortiumMemberFactory(idea=idea, organisation=OrganisationFactory(region=uusimaa),
                                     budget_share=D("10000"))
    # Recorded on 1.3.2023; the share was removed on 1.9.2023.
    member.history.update(history_date=datetime(2023, 3, 1, tzinfo=HELSINKI))
    member.budget_share = None
    member.save()
    member.history.filter(budget_share__isnull=True).update(
        history_date=datetime(2023, 9, 1, tzinfo=HELSINKI)
    )
    regions_then = {idea.pk: [pirkanmaa.pk, uusimaa.pk]}

    in_june = region_splits([idea.pk], moment=datetime(2023, 7, 1, tzinfo=HELSINKI),
                            idea_regions=regions_then)
    assert in_june[idea.pk] == {uusimaa.pk: Fraction(1)}
    in_february = region_splits([idea.pk], moment=datetime(2023, 2, 1, tzinfo=HELSINKI),
                                idea_regions=regions_then)
    assert in_february[idea.pk] == {pirkanmaa.pk: Fraction(1, 2), uusimaa.pk: Fraction(1, 2)}
    now = region_splits([idea.pk])
    assert now[idea.pk] == {pirkanmaa.pk: Fraction(1, 2), uusimaa.pk: Fraction(1, 2)}
