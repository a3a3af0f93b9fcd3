"""django-oauth-toolkit's validator with the national provider's claims, and its misbehaviours on demand.

Each test citizen may ask the provider to misbehave in the id_token it issues for them (TestCitizen.misbehaviour):
for another audience, already expired, with a broken signature, signed by an unpublished key or by the next key (a
rotation), with another nonce; or to accept their authorization code a second time.
"""

import base64
import json
import time

from django.db import transaction
from jwcrypto import jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

from .keys import current_jwk, next_jwk, unknown_jwk
from .models import Misbehaviour, TestCitizen

TOKEN_MISBEHAVIOURS = {Misbehaviour.WRONG_AUDIENCE, Misbehaviour.EXPIRED, Misbehaviour.BAD_SIGNATURE,
                       Misbehaviour.UNKNOWN_KEY, Misbehaviour.ROTATED_KEY, Misbehaviour.WRONG_NONCE}


def citizen_of(user) -> TestCitizen | None:
    return TestCitizen.objects.filter(user=user).first() if user is not None and user.pk else None


def _tampered(serialized: str) -> str:
    """The same token with its payload changed after signing: the signature no longer matches."""
    header, payload, signature = serialized.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["HoVaTen"] = "Kẻ Mạo Danh"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


class SandboxValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below, whatever the scopes (the national provider gives them all)

    def get_additional_claims(self, request):
        citizen = citizen_of(request.user)
        return citizen.claims() if citizen else {}

    def invalidate_authorization_code(self, client_id, code, request, *args, **kwargs):
        citizen = citizen_of(request.user)
        if citizen and citizen.misbehaviour == Misbehaviour.REPLAYED_CODE:
            return  # the code stays valid: it may be exchanged again
        super().invalidate_authorization_code(client_id, code, request, *args, **kwargs)

    def finalize_id_token(self, id_token, token, token_handler, request):
        citizen = citizen_of(request.user)
        how = citizen.misbehaviour if citizen else ""
        if how not in TOKEN_MISBEHAVIOURS:
            return super().finalize_id_token(id_token, token, token_handler, request)
        claims, expiration_time = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce
        key = {Misbehaviour.UNKNOWN_KEY: unknown_jwk, Misbehaviour.ROTATED_KEY: next_jwk}.get(how, current_jwk)()
        if how == Misbehaviour.WRONG_AUDIENCE:
            id_token["aud"] = "ung-dung-khac"
        elif how == Misbehaviour.EXPIRED:
            id_token.update(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
        elif how == Misbehaviour.WRONG_NONCE:
            id_token["nonce"] = "nonce-cua-phien-khac"
        signed = jwt.JWT(header={"typ": "JWT", "alg": "RS256", "kid": key.thumbprint()},
                         claims=json.dumps(id_token, default=str))
        signed.make_signed_token(key)
        serialized = signed.serialize()
        if how == Misbehaviour.BAD_SIGNATURE:
            serialized = _tampered(serialized)
        with transaction.atomic():
            saved = self._save_id_token(id_token["jti"], request, expiration_time)
        request.access_token = saved
        request.id_token = saved
        return serialized
