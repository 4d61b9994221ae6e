"""Who is a project manager: one question, asked by the pages, the API, the admin, the
owner filter, the import and the reminders alike."""

import pytest

from accounts.permissions import is_manager, project_managers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_project_managers_are_the_active_group_members_and_administrators():
    manager = UserFactory(username="maija", manager=True)
    admin = UserFactory(username="aino", admin=True)
    UserFactory(username="fanni", funder=True)
    UserFactory(username="olli")
    UserFactory(username="entinen", manager=True, is_active=False)
    UserFactory(username="vanha-admin", admin=True, is_active=False)

    assert set(project_managers()) == {manager, admin}
    # The list and the per-user question agree for everyone who is active.
    for user in project_managers():
        assert is_manager(user)


def test_a_manager_in_the_group_twice_over_is_listed_once(django_assert_num_queries):
    manager = UserFactory(manager=True, admin=True)
    with django_assert_num_queries(1):
        assert list(project_managers()) == [manager]
