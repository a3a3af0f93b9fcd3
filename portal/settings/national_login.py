"""Login through the national identity provider (OpenID Connect), and the sandbox that plays it (/sandbox/idp/).

The portal is an OpenID Connect client (Authlib, accounts/national.py) of the provider named by NATIONAL_IDP_ISSUER;
its discovery document gives the endpoints and the keys. Every address, secret and timeout comes from the
environment. By default (development) the provider is the sandbox of this portal, which knows the portal as a client
by the same id and secret: with DEBUG off the secret must be this deployment's own (security.env_secret).
"""

from .base import DEBUG, NATIONAL_IDP_SANDBOX, SITE_URL, VAR_DIR, env
from .security import env_secret

# The "Đăng nhập bằng tài khoản định danh quốc gia" button and its pages; off, they answer 404.
NATIONAL_LOGIN_ENABLED = env.bool("NATIONAL_LOGIN_ENABLED", default=NATIONAL_IDP_SANDBOX)
_SANDBOX_ISSUER = SITE_URL.rstrip("/") + "/sandbox/idp"
# Each left empty (as in .env.example) means its default.
NATIONAL_IDP_ISSUER = (env.str("NATIONAL_IDP_ISSUER", default="") or _SANDBOX_ISSUER).rstrip("/")
NATIONAL_IDP_METADATA_URL = (env.str("NATIONAL_IDP_METADATA_URL", default="")
                             or NATIONAL_IDP_ISSUER + "/.well-known/openid-configuration")
NATIONAL_IDP_CLIENT_ID = env.str("NATIONAL_IDP_CLIENT_ID", default="") or "cong-dvc-kontum"
_SANDBOX_CLIENT_SECRET = "sandbox-idp-portal-secret-0123456789abcdef"
# Judged only where national login is on: a deployment without it needs no secret.
NATIONAL_IDP_CLIENT_SECRET = (env_secret("NATIONAL_IDP_CLIENT_SECRET", development=_SANDBOX_CLIENT_SECRET)
                              if NATIONAL_LOGIN_ENABLED else env.str("NATIONAL_IDP_CLIENT_SECRET", default=""))
# client_secret_basic (RFC 6749 §2.3.1) or client_secret_post.
NATIONAL_IDP_TOKEN_AUTH = env.str("NATIONAL_IDP_TOKEN_AUTH", default="client_secret_basic")
NATIONAL_IDP_SCOPES = env.str("NATIONAL_IDP_SCOPES", default="openid profile email phone")
# PKCE (RFC 7636, S256): the national provider does not document its support; off, no code_challenge is sent.
NATIONAL_IDP_PKCE = env.bool("NATIONAL_IDP_PKCE", default=True)
# acr_values asked for (space separated, OIDC Core §3.1.2.1); empty, none is sent.
NATIONAL_IDP_ACR_VALUES = env.str("NATIONAL_IDP_ACR_VALUES", default="")
# Seconds to wait for the provider's discovery document, keys and token answers.
NATIONAL_IDP_TIMEOUT = env.int("NATIONAL_IDP_TIMEOUT", default=10)
# Seconds of clock difference tolerated on the id_token's exp and iat.
NATIONAL_IDP_LEEWAY = env.int("NATIONAL_IDP_LEEWAY", default=60)
# RP-initiated logout: after the portal's logout the browser goes to the provider's end_session_endpoint.
NATIONAL_IDP_LOGOUT = env.bool("NATIONAL_IDP_LOGOUT", default=True)



def _sandbox_key(name: str) -> str:
    """The sandbox provider's RSA key (PEM): from the environment, else a file made once under var/sandbox_idp/."""
    pem = env.str(f"NATIONAL_IDP_SANDBOX_{name.upper()}_KEY", default="")
    if pem:
        return pem
    import os

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    path = VAR_DIR / "sandbox_idp" / f"{name}.pem"
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()))
        os.replace(temporary, path)  # two processes starting at once: one file wins, both read it
    return path.read_text()


if NATIONAL_IDP_SANDBOX:
    # The sandbox provider (django-oauth-toolkit with OpenID Connect) signs with RS256: its current key, and the
    # next one it rotates to when a test citizen asks for it (sandbox_idp.validator).
    NATIONAL_IDP_SANDBOX_NEXT_KEY = _sandbox_key("next")
    # The client it registers for this portal: the portal's id and secret, its callback (any port on loopback).
    NATIONAL_IDP_SANDBOX_REDIRECT_URI = env.str(
        "NATIONAL_IDP_SANDBOX_REDIRECT_URI", default=SITE_URL.rstrip("/") + "/tai-khoan/dang-nhap/quoc-gia/ket-qua/")
    NATIONAL_IDP_SANDBOX_LOGOUT_URI = env.str("NATIONAL_IDP_SANDBOX_LOGOUT_URI", default=SITE_URL.rstrip("/") + "/")
    OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True,
        "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
        "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
        "OIDC_RP_INITIATED_LOGOUT_ACCEPT_EXPIRED_TOKENS": True,
        "PKCE_REQUIRED": False,  # the portal may switch PKCE off (NATIONAL_IDP_PKCE); a challenge sent is checked
        "OAUTH2_VALIDATOR_CLASS": "sandbox_idp.validator.SandboxValidator",
        "OIDC_RSA_PRIVATE_KEY": _sandbox_key("current"),
        "SCOPES": {"openid": "OpenID Connect", "profile": "Họ tên, ngày sinh", "email": "Thư điện tử",
                   "phone": "Số điện thoại"},
        "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
        "ID_TOKEN_EXPIRE_SECONDS": 300,
        "ACCESS_TOKEN_EXPIRE_SECONDS": 300,
    }
