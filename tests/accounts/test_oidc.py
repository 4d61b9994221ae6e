"""Single sign-on (OpenID Connect) against a fake provider: a real RS256-signed ID token,
a token endpoint, userinfo and JWKS answered in the test instead of over the network."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts import oidc
from accounts.permissions import FUNDERS_GROUP, MANAGERS_GROUP, role_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ISSUER = "https://idp.example.test/tenant"
CLIENT_ID = "salkku-client"
ENDPOINTS = {
    "authorization_endpoint": f"{ISSUER}/authorize",
    "token_endpoint": f"{ISSUER}/token",
    "userinfo_endpoint": f"{ISSUER}/userinfo",
    "jwks_uri": f"{ISSUER}/keys",
}


class FakeResponse:
    def __init__(self, url: str, body: dict[str, Any], status: int = 200):
        self.url, self.status_code, self._body = url, status, body
        self.text = json.dumps(body)
        self.headers = {"content-type": "application/json"}

    def json(self) -> dict[str, Any]:
        return self._body

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            import requests

            raise requests.HTTPError(f"{self.status_code} for {self.url}", response=self)


class FakeProvider:
    """Stands in for the ``requests`` module where mozilla-django-oidc and accounts.oidc call
    the provider. It remembers the nonce of the pending sign-in and signs an ID token for it."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.claims: dict[str, Any] = {}
        self.userinfo: dict[str, Any] = {}
        self.nonce = ""
        self.audience = CLIENT_ID
        self.signing_key = self.key
        self.token_requests: list[dict[str, Any]] = []
        self.discovery_requests = 0

    # What the browser would do at the provider: take the state and nonce it was sent with.
    def sign_in(self, client: Client, next_url: str = "") -> str:
        start = reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else "")
        response = client.get(start)
        assert response.status_code == 302
        location = urlparse(response["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == ENDPOINTS[
            "authorization_endpoint"
        ]
        query = {k: v[0] for k, v in parse_qs(location.query).items()}
        assert query["client_id"] == CLIENT_ID
        assert query["response_type"] == "code"
        assert "code_challenge" in query  # PKCE
        self.nonce = query["nonce"]
        return query["state"]

    def id_token(self) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": self.audience,
            "iat": now,
            "exp": now + 300,
            "nonce": self.nonce,
            **self.claims,
        }
        return jwt.encode(claims, self.signing_key, algorithm="RS256", headers={"kid": self.kid})

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs) -> FakeResponse:
        assert url == ENDPOINTS["token_endpoint"]
        self.token_requests.append(dict(data or {}))
        return FakeResponse(url, {"access_token": "at-123", "token_type": "Bearer",
                                  "id_token": self.id_token()})

    def get(self, url: str, headers: dict[str, str] | None = None, **kwargs) -> FakeResponse:
        if url == ENDPOINTS["jwks_uri"]:
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
            return FakeResponse(url, {"keys": [{**jwk, "kid": self.kid, "alg": "RS256",
                                                "use": "sig"}]})
        if url == ENDPOINTS["userinfo_endpoint"]:
            assert headers == {"Authorization": "Bearer at-123"}
            return FakeResponse(url, {"sub": self.claims.get("sub"), **self.userinfo})
        if url == f"{ISSUER}/.well-known/openid-configuration":
            self.discovery_requests += 1
            return FakeResponse(url, {"issuer": ISSUER, **ENDPOINTS})
        return FakeResponse(url, {}, status=404)

    RequestException = __import__("requests").RequestException


@pytest.fixture
def provider(settings, monkeypatch) -> FakeProvider:
    fake = FakeProvider()
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "client-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ENDPOINTS["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = ENDPOINTS["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = ENDPOINTS["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = ENDPOINTS["jwks_uri"]
    settings.OIDC_OP_ISSUER = ISSUER
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.OIDC_MANAGER_GROUPS = ["salkku-managers"]
    settings.OIDC_FUNDER_GROUPS = ["salkku-funders", "steering-group"]
    settings.OIDC_PROVIDER_NAME = "Example Council"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, oidc.BACKEND_PATH]
    settings.ROOT_URLCONF = "tests.accounts.oidc_urls"
    monkeypatch.setattr("mozilla_django_oidc.auth.requests", fake)
    monkeypatch.setattr("accounts.oidc.requests", fake)
    oidc._discovery.cache_clear()
    yield fake
    oidc._discovery.cache_clear()


def callback(client: Client, state: str):
    return client.get(reverse("oidc_authentication_callback"), {"code": "code-1", "state": state})


def group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


MAIJA = {
    "sub": "entra-oid-1",
    "preferred_username": "maija.manageri@council.example",
    "given_name": "Maija",
    "family_name": "Manageri",
    "groups": ["salkku-managers", "all-staff"],
}


def test_off_by_default_no_addresses_backend_or_button(client, settings):
    assert settings.OIDC_ENABLED is False
    assert oidc.BACKEND_PATH not in settings.AUTHENTICATION_BACKENDS
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with" not in page


def test_login_page_offers_the_organisation_sign_in(client, provider):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("login") + "?next=/ideas/").content.decode()
    assert "Sign in with Example Council" in page
    assert reverse("oidc_authentication_init") + "?next=%2Fideas%2F" in page


def test_sign_in_creates_the_user_with_the_mapped_group(client, provider):
    provider.claims = dict(MAIJA)
    provider.userinfo = {"email": "maija.manageri@council.example"}
    state = provider.sign_in(client, next_url="/ideas/")

    response = callback(client, state)

    assert response.status_code == 302
    assert response["Location"] == "/ideas/"
    user = get_user_model().objects.get(email="maija.manageri@council.example")
    assert user.username == "maija.manageri@council.example"
    assert (user.first_name, user.last_name) == ("Maija", "Manageri")
    assert not user.has_usable_password()
    assert group_names(user) == {MANAGERS_GROUP}
    assert role_of(user) == "manager"
    # The session is the user's: the board opens.
    assert client.get(reverse("board")).status_code == 200
    # The code went to the token endpoint with the client's credentials and PKCE verifier.
    sent = provider.token_requests[-1]
    assert sent["code"] == "code-1"
    assert sent["client_id"] == CLIENT_ID
    assert sent["grant_type"] == "authorization_code"
    assert sent["code_verifier"]
    assert sent["redirect_uri"].endswith(reverse("oidc_authentication_callback"))


def test_a_second_sign_in_updates_groups_and_name(client, provider):
    provider.claims = dict(MAIJA)
    callback(client, provider.sign_in(client))
    user = get_user_model().objects.get(username=MAIJA["preferred_username"])
    assert group_names(user) == {MANAGERS_GROUP}

    # At the provider she moved from the managers to the steering group, and married.
    client.post(reverse("logout"))
    provider.claims = {**MAIJA, "family_name": "Virtanen", "groups": ["steering-group"]}
    response = callback(client, provider.sign_in(client))

    assert response.status_code == 302
    user.refresh_from_db()
    assert get_user_model().objects.filter(email=user.email).count() == 1
    assert user.last_name == "Virtanen"
    assert group_names(user) == {FUNDERS_GROUP}
    assert role_of(get_user_model().objects.get(pk=user.pk)) == "funder"


def test_a_claim_that_maps_to_no_group_gives_no_role(client, provider):
    provider.claims = {**MAIJA, "groups": ["all-staff"]}
    callback(client, provider.sign_in(client))

    user = get_user_model().objects.get(username=MAIJA["preferred_username"])
    assert group_names(user) == set()
    assert role_of(user) == "none"
    assert client.get(reverse("board")).status_code == 403


def test_losing_the_group_at_the_provider_takes_the_role_away(client, provider):
    # A local account with the same address is the same person: it is matched, not copied,
    # and its role now follows the provider. Other groups stay.
    user = UserFactory(username="maija", email="Maija.Manageri@council.example", manager=True)
    provider.claims = {**MAIJA, "groups": []}
    callback(client, provider.sign_in(client))

    assert get_user_model().objects.filter(email__iexact=user.email).count() == 1
    assert group_names(user) == set()


def test_a_string_group_claim_is_read_too(client, provider, settings):
    settings.OIDC_GROUPS_CLAIM = "roles"
    provider.claims = {**MAIJA, "roles": "salkku-funders other"}
    callback(client, provider.sign_in(client))
    user = get_user_model().objects.get(username=MAIJA["preferred_username"])
    assert group_names(user) == {FUNDERS_GROUP}


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda p: setattr(p, "audience", "another-app"), id="other audience"),
        pytest.param(
            lambda p: setattr(
                p, "signing_key", rsa.generate_private_key(public_exponent=65537, key_size=2048)
            ),
            id="wrong key",
        ),
        pytest.param(lambda p: p.claims.update(iss="https://evil.example"), id="other issuer"),
        pytest.param(lambda p: setattr(p, "nonce", "replayed"), id="wrong nonce"),
        pytest.param(lambda p: p.claims.update(exp=int(time.time()) - 60), id="expired"),
        pytest.param(lambda p: p.userinfo.update(sub="someone-else"), id="userinfo of another"),
    ],
)
def test_a_bad_id_token_signs_no_one_in(client, provider, tamper):
    provider.claims = dict(MAIJA)
    state = provider.sign_in(client)
    tamper(provider)

    client.cookies["django_language"] = "en"
    response = callback(client, state)

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not get_user_model().objects.filter(username=MAIJA["preferred_username"]).exists()
    page = client.get(reverse("login")).content.decode()
    assert "Signing in with Example Council did not succeed" in page


def test_endpoints_come_from_discovery(client, provider, settings):
    settings.OIDC_OP_DISCOVERY_URL = f"{ISSUER}/.well-known/openid-configuration"
    for name in (
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
        "OIDC_OP_ISSUER",
    ):
        setattr(settings, name, "")
    provider.claims = dict(MAIJA)

    response = callback(client, provider.sign_in(client))

    assert response.status_code == 302
    assert group_names(get_user_model().objects.get(username=MAIJA["preferred_username"])) == {
        MANAGERS_GROUP
    }
    assert provider.discovery_requests == 1  # fetched once, then kept


def test_single_sign_on_is_not_asked_for_the_app_code(client, provider, settings):
    # The provider applies its own multi-factor policy; a TOTP device is for password sign-in.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.TWO_FACTOR_REQUIRED = True
    user = UserFactory(username="maija", email=MAIJA["preferred_username"], manager=True)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    provider.claims = dict(MAIJA)

    callback(client, provider.sign_in(client))

    assert client.get(reverse("board")).status_code == 200


def test_a_provider_that_does_not_answer_stops_only_single_sign_on(client, provider, settings):
    settings.OIDC_OP_DISCOVERY_URL = f"{ISSUER}/down/.well-known/openid-configuration"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    settings.OIDC_OP_TOKEN_ENDPOINT = ""
    settings.OIDC_OP_JWKS_ENDPOINT = ""
    UserFactory(username="paula", manager=True)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "did not succeed" in client.get(reverse("login")).content.decode()

    response = client.post(reverse("login"), {"username": "paula", "password": "pw-for-tests"})
    assert response.status_code == 302
    assert client.get(reverse("board")).status_code == 200


def test_a_deactivated_user_is_signed_out(client, provider):
    provider.claims = dict(MAIJA)
    callback(client, provider.sign_in(client))
    assert client.get(reverse("board")).status_code == 200

    get_user_model().objects.filter(username=MAIJA["preferred_username"]).update(is_active=False)

    assert client.get(reverse("board")).status_code == 302
