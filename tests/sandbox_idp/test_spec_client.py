"""The sandbox provider, driven by a relying party written from the specifications, not from the portal's code.

OpenID Connect Discovery 1.0 (the configuration document), OIDC Core 1.0 §3.1 (authorization code flow: state,
nonce, the token response, the id_token's checks of §3.1.3.7, at_hash), RFC 7636 (PKCE: code_verifier and its S256
code_challenge computed here), RFC 6749 §2.3.1 (client_secret_basic), RFC 7517 (JWKS). The id_token is checked with
jwcrypto, not with Authlib, which the portal uses.
"""

import base64
import hashlib
import json
import secrets
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.conf import settings
from jwcrypto import jwk, jwt

from .conftest import AN, PASSWORD, Browser, csrf

pytestmark = [pytest.mark.integration, pytest.mark.postgres]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def authorize(idp, configuration: dict, *, challenge: str, state: str, nonce: str, number: str = AN) -> dict:
    """The front channel: the provider's login page, the citizen's credentials, the redirect back with a code."""
    browser = Browser(idp)
    query = {"response_type": "code", "client_id": settings.NATIONAL_IDP_CLIENT_ID, "scope": "openid profile",
             "redirect_uri": idp + "/tai-khoan/dang-nhap/quoc-gia/ket-qua/", "state": state, "nonce": nonce,
             "code_challenge": challenge, "code_challenge_method": "S256"}
    page = browser.session.get(configuration["authorization_endpoint"] + "?" + urlencode(query), timeout=10)
    assert page.status_code == 200 and "Đăng nhập tài khoản định danh điện tử" in page.text
    back = browser.session.post(page.url, data={"csrfmiddlewaretoken": csrf(browser.session, page.text),
                                                "so_dinh_danh": number, "password": PASSWORD},
                                headers={"Referer": page.url}, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text[:500]
    location = urlsplit(back.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == query["redirect_uri"]
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def token(configuration: dict, code: str, verifier: str, redirect_uri: str) -> requests.Response:
    return requests.post(configuration["token_endpoint"], timeout=10,
                         auth=(settings.NATIONAL_IDP_CLIENT_ID, settings.NATIONAL_IDP_CLIENT_SECRET),
                         data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                               "code_verifier": verifier})


def test_the_sandbox_speaks_openid_connect_with_pkce(idp):
    configuration = requests.get(idp + "/sandbox/idp/.well-known/openid-configuration", timeout=10).json()
    assert configuration["issuer"] == idp + "/sandbox/idp"
    assert "code" in configuration["response_types_supported"]
    assert "RS256" in configuration["id_token_signing_alg_values_supported"]
    assert configuration["end_session_endpoint"].startswith(idp + "/sandbox/idp/")
    assert "S256" in configuration["code_challenge_methods_supported"]

    verifier = b64url(secrets.token_bytes(48))  # RFC 7636 §4.1: 43 to 128 characters of the unreserved set
    challenge = b64url(hashlib.sha256(verifier.encode("ascii")).digest())  # §4.2: S256
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    back = authorize(idp, configuration, challenge=challenge, state=state, nonce=nonce)
    assert back["state"] == state and back["code"]
    redirect_uri = idp + "/tai-khoan/dang-nhap/quoc-gia/ket-qua/"

    wrong = token(configuration, back["code"], b64url(secrets.token_bytes(48)), redirect_uri)
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"  # RFC 7636 §4.6
    back = authorize(idp, configuration, challenge=challenge, state=state, nonce=nonce)  # the failed try spent it
    answer = token(configuration, back["code"], verifier, redirect_uri)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"].lower() == "bearer" and answer.headers["Cache-Control"] == "no-store"

    # OIDC Core §3.1.3.7: signature by a key of the JWKS, iss, aud, exp, iat, nonce; §3.1.3.8: at_hash.
    keys = jwk.JWKSet.from_json(requests.get(configuration["jwks_uri"], timeout=10).text)
    checked = jwt.JWT(jwt=body["id_token"], key=keys, algs=["RS256"])
    claims = json.loads(checked.claims)
    header = json.loads(checked.header)
    assert header["alg"] == "RS256" and keys.get_key(header["kid"]) is not None
    assert claims["iss"] == configuration["issuer"] and claims["aud"] == settings.NATIONAL_IDP_CLIENT_ID
    assert claims["nonce"] == nonce and claims["iat"] <= time.time() < claims["exp"]
    digest = hashlib.sha256(body["access_token"].encode()).digest()
    assert claims["at_hash"] == b64url(digest[: len(digest) // 2])
    assert claims["SoDinhDanh"] == AN and claims["HoVaTen"] == "Nguyễn Văn An" and claims["loAs"] == ["loa2"]

    userinfo = requests.get(configuration["userinfo_endpoint"], timeout=10,
                            headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    assert userinfo["sub"] == claims["sub"] and userinfo["ThuDienTu"] == "an.nguyen@example.vn"

    # A code is exchanged once (RFC 6749 §4.1.2).
    again = token(configuration, back["code"], verifier, redirect_uri)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_the_portal_asks_with_state_nonce_and_an_s256_challenge(idp):
    browser = Browser(idp)
    page = browser.start()
    assert page.status_code == 200
    asked = browser.authorize_query()
    assert asked["response_type"] == "code" and asked["client_id"] == settings.NATIONAL_IDP_CLIENT_ID
    assert asked["redirect_uri"] == idp + "/tai-khoan/dang-nhap/quoc-gia/ket-qua/"
    assert "openid" in asked["scope"].split()
    assert len(asked["state"]) >= 16 and len(asked["nonce"]) >= 16
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43


def test_without_pkce_the_portal_sends_no_challenge(idp, settings):
    settings.NATIONAL_IDP_PKCE = False
    browser = Browser(idp)
    done = browser.national_login(AN)
    assert "code_challenge" not in browser.authorize_query()
    assert done.status_code == 200 and browser.signed_in()
