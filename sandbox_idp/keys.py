"""The sandbox provider's RSA keys (settings): the current one, the next one for rotation, and one never published."""

from django.conf import settings
from jwcrypto import jwk


def current_jwk() -> jwk.JWK:
    return jwk.JWK.from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"].encode())


def next_jwk() -> jwk.JWK:
    """The key the provider rotates to: published and used only while a test citizen asks for "rotated key"."""
    return jwk.JWK.from_pem(settings.NATIONAL_IDP_SANDBOX_NEXT_KEY.encode())


def unknown_jwk() -> jwk.JWK:
    """A key never published: a token signed with it cannot be checked against the provider's keys."""
    return jwk.JWK.generate(kty="RSA", size=2048)


def public(key: jwk.JWK) -> dict:
    return {**key.export_public(as_dict=True), "alg": "RS256", "use": "sig", "kid": key.thumbprint()}
