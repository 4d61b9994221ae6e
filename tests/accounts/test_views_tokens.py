"""Personal API tokens: made, shown once, stored as a hash, listed and revoked by their owner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.factories import UserFactory
from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db

TOKENS = reverse("token-list")


def make_token(client, name="Monthly import", days="90"):
    return client.post(TOKENS, {"name": name, "days": days})


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(manager, manager_user):
    response = make_token(manager)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token, secret = response.context["created"]
    assert secret.startswith("salkku_")
    assert secret in response.content.decode()
    stored = ApiToken.objects.get(user=manager_user)
    assert stored.name == "Monthly import"
    assert secret not in {stored.digest, stored.token_key}
    assert stored.token_key == secret[: len(stored.token_key)]
    assert timedelta(days=89) < stored.expiry - timezone.now() <= timedelta(days=90)

    again = manager.get(TOKENS).content.decode()
    assert secret not in again
    assert "Monthly import" in again
    assert_no_inline_code(again)


def test_the_token_opens_the_api_with_its_owners_rights(manager, funder):
    manager_secret = make_token(manager).context["created"][1]
    funder_secret = make_token(funder).context["created"][1]

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {manager_secret}")
    assert api.get("/api/v1/ideas/").status_code == 200
    assert api.post("/api/v1/ideas/", {"title": "From a script"}, format="json").status_code == 201

    api.credentials(HTTP_AUTHORIZATION=f"Token {funder_secret}")
    assert api.get("/api/v1/ideas/").status_code == 200
    assert api.post("/api/v1/ideas/", {"title": "Not allowed"}, format="json").status_code == 403


def test_a_revoked_token_no_longer_works(manager, manager_user):
    secret = make_token(manager).context["created"][1]
    token = ApiToken.objects.get(user=manager_user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/ideas/").status_code == 200

    response = manager.post(reverse("token-revoke", args=[token.digest]))

    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert api.get("/api/v1/ideas/").status_code == 401


def test_an_expired_token_is_refused_and_removed(manager, manager_user):
    secret = make_token(manager).context["created"][1]
    ApiToken.objects.filter(user=manager_user).update(expiry=timezone.now() - timedelta(seconds=1))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")

    assert api.get("/api/v1/ideas/").status_code == 401
    assert not ApiToken.objects.filter(user=manager_user).exists()


def test_nobody_sees_or_revokes_anothers_tokens(manager, funder):
    other, _secret = ApiToken.objects.create(user=UserFactory(manager=True), name="Someone else's")
    assert "Someone else" not in manager.get(TOKENS).content.decode()
    assert manager.post(reverse("token-revoke", args=[other.digest])).status_code == 404
    assert funder.post(reverse("token-revoke", args=[other.digest])).status_code == 404
    assert ApiToken.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [({"name": "", "days": "90"}, "name"), ({"name": "x", "days": "5000"}, "days")],
)
def test_a_bad_token_request_says_which_field_and_makes_nothing(manager, data, field):
    response = manager.post(TOKENS, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["created"] is None
    assert not ApiToken.objects.exists()
