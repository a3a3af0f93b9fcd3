"""Login through the national identity provider: an OpenID Connect client (Authlib) and the accounts it leads to.

The authorization code flow (OIDC Core §3.1) with state, nonce and PKCE S256 (RFC 7636; NATIONAL_IDP_PKCE), the
endpoints and keys read from the provider's discovery document; the id_token's signature is checked against its JWKS
(a key id not known is looked up once more: a rotation), with its issuer, audience, expiry and nonce (Authlib's
parse_id_token). Its claims are named as the national provider names them (CLAIMS).

An account is found by the provider's subject once linked; a first login whose verified identity number belongs to an
account links it only after its owner enters its password (national_link_confirm); otherwise an account is created
from the confirmed data.
"""

import logging
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth, DjangoOAuth2App
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, InvalidKeyIdError, JoseError

from .models import NationalIdentity, User

logger = logging.getLogger(__name__)

# The national provider's claim -> the field of NationalClaims it fills.
CLAIMS = {
    "SoDinhDanh": "identity_number",
    "HoVaTen": "full_name",
    "ThuDienTu": "email",
    "SoDienThoai": "phone",
    "NgayThangNamSinh": "date_of_birth",
    "GioiTinh": "gender",
    "loAs": "loa",
}
# The session's record of a national login (its level of assurance, the id_token for logout), and of a link waiting
# for the account owner's password.
SESSION_KEY = "national_login"
PENDING_KEY = "national_pending"


class NationalLoginError(Exception):
    """A login refused: `message` says why, in words for the citizen."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class NationalClaims:
    issuer: str
    subject: str
    identity_number: str
    full_name: str = ""
    email: str = ""
    phone: str = ""
    date_of_birth: str = ""
    gender: str = ""
    loa: int | None = None
    id_token: str = ""

    def as_session(self) -> dict:
        return asdict(self)


def loa_level(value) -> int | None:
    """The level in loAs ("loa2", ["http://…/loa/2"], 2): the highest number found; None without one."""
    values = value if isinstance(value, (list, tuple)) else [value]
    levels = [int(found) for v in values if v is not None for found in re.findall(r"\d+", str(v))]
    return max(levels) if levels else None


def claims_map(userinfo: dict, *, issuer: str, id_token: str) -> NationalClaims:
    mapped = {field: userinfo.get(claim) or "" for claim, field in CLAIMS.items()}
    mapped["loa"] = loa_level(userinfo.get("loAs") or userinfo.get("acr"))
    number = str(mapped.pop("identity_number")).strip()
    if not re.fullmatch(r"\d{12}", number):
        raise NationalLoginError(_("Cổng định danh quốc gia không trả về số định danh cá nhân hợp lệ."))
    return NationalClaims(issuer=issuer, subject=str(userinfo["sub"]), identity_number=number, id_token=id_token,
                          **{k: str(v).strip() if k != "loa" else v for k, v in mapped.items()})


_clients: dict[tuple, DjangoOAuth2App] = {}


def national_client() -> DjangoOAuth2App:
    """The Authlib client, one per configuration (it keeps the discovery document and the keys it fetched)."""
    config = (settings.NATIONAL_IDP_METADATA_URL, settings.NATIONAL_IDP_CLIENT_ID, settings.NATIONAL_IDP_CLIENT_SECRET,
              settings.NATIONAL_IDP_SCOPES, settings.NATIONAL_IDP_PKCE, settings.NATIONAL_IDP_TOKEN_AUTH,
              settings.NATIONAL_IDP_TIMEOUT)
    if config not in _clients:
        kwargs = {"scope": settings.NATIONAL_IDP_SCOPES, "default_timeout": settings.NATIONAL_IDP_TIMEOUT,
                  "token_endpoint_auth_method": settings.NATIONAL_IDP_TOKEN_AUTH}
        if settings.NATIONAL_IDP_PKCE:
            kwargs["code_challenge_method"] = "S256"
        _clients[config] = OAuth().register(
            "national", client_id=settings.NATIONAL_IDP_CLIENT_ID, client_secret=settings.NATIONAL_IDP_CLIENT_SECRET,
            server_metadata_url=settings.NATIONAL_IDP_METADATA_URL, client_kwargs=kwargs)
    return _clients[config]


def national_authorize(request, *, redirect_uri: str):
    """The redirect to the provider's login (state, nonce, code_challenge kept in the session by Authlib)."""
    extra = {"acr_values": settings.NATIONAL_IDP_ACR_VALUES} if settings.NATIONAL_IDP_ACR_VALUES else {}
    try:
        return national_client().authorize_redirect(request, redirect_uri, **extra)
    except requests.RequestException as exc:
        logger.warning("national login: discovery failed: %s", exc)
        raise NationalLoginError(_("Không kết nối được Cổng định danh quốc gia. Vui lòng thử lại sau.")) from exc


def _refusal(exc: Exception) -> str:
    """What the citizen is told for each way the provider's answer can be wrong."""
    if isinstance(exc, MismatchingStateError):
        return _("Phiên đăng nhập không khớp hoặc đã được dùng (state). Vui lòng đăng nhập lại từ đầu.")
    if isinstance(exc, ExpiredTokenError):
        return _("Thông tin đăng nhập từ Cổng định danh quốc gia đã hết hạn. Vui lòng đăng nhập lại.")
    if isinstance(exc, (BadSignatureError, InvalidKeyIdError)):
        return _("Chữ ký của thông tin đăng nhập không hợp lệ: không xác minh được với khóa của Cổng định danh "
                 "quốc gia.")
    if isinstance(exc, ClaimError) and exc.claim in ("aud", "azp"):
        return _("Thông tin đăng nhập không được cấp cho Cổng Dịch vụ công này (aud).")
    if isinstance(exc, ClaimError) and exc.claim == "nonce":
        return _("Thông tin đăng nhập không thuộc phiên đăng nhập này (nonce). Vui lòng đăng nhập lại.")
    if isinstance(exc, ClaimError) and exc.claim == "iss":
        return _("Thông tin đăng nhập không do Cổng định danh quốc gia cấp (iss).")
    if isinstance(exc, OAuthError) and exc.error == "access_denied":
        return _("Bạn đã hủy đăng nhập tại Cổng định danh quốc gia.")
    if isinstance(exc, OAuthError) and exc.error in ("invalid_grant", "invalid_request"):
        return _("Mã xác thực không hợp lệ, đã hết hạn hoặc đã được dùng. Vui lòng đăng nhập lại.")
    if isinstance(exc, requests.RequestException):
        return _("Không kết nối được Cổng định danh quốc gia. Vui lòng thử lại sau.")
    return _("Cổng định danh quốc gia trả về thông tin đăng nhập không hợp lệ. Vui lòng đăng nhập lại.")


def national_callback(request) -> NationalClaims:
    """The provider's answer at the callback: the token exchanged and the id_token checked, or NationalLoginError."""
    client = national_client()
    try:
        # OIDC Core §3.1.3.7: iss is exactly the configured issuer, aud contains this client's id.
        expected = {"iss": {"essential": True, "value": settings.NATIONAL_IDP_ISSUER},
                    "aud": {"essential": True, "values": [settings.NATIONAL_IDP_CLIENT_ID]}}
        token = client.authorize_access_token(request, claims_options=expected, leeway=settings.NATIONAL_IDP_LEEWAY)
        userinfo = token.get("userinfo")
        if userinfo is None:
            raise OAuthError(error="missing_id_token")
    except (OAuthError, JoseError, requests.RequestException, ValueError) as exc:
        logger.warning("national login refused: %s: %s", type(exc).__name__, exc)
        raise NationalLoginError(_refusal(exc)) from exc
    return claims_map(userinfo, issuer=settings.NATIONAL_IDP_ISSUER, id_token=token["id_token"])


def national_logout_url(*, id_token: str, post_logout_redirect_uri: str) -> str | None:
    """The provider's end_session_endpoint for this login (RP-Initiated Logout), or None where it has none."""
    if not (settings.NATIONAL_IDP_LOGOUT and id_token):
        return None
    try:
        return national_client().create_logout_url(
            post_logout_redirect_uri=post_logout_redirect_uri, id_token_hint=id_token,
            client_id=settings.NATIONAL_IDP_CLIENT_ID)["url"]
    except (RuntimeError, requests.RequestException):
        return None


# --- Accounts -------------------------------------------------------------------------------------------------------

def _birth_date(text: str) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _phone(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return "0" + digits[2:] if digits.startswith("84") and len(digits) == 11 else digits[:20]


def national_account(claims: NationalClaims) -> tuple[User | None, User | None]:
    """(the account to log in, None) when linked or newly created; (None, the account to confirm) when an account
    holds the verified identity number and is not linked yet: its owner must prove it with its password."""
    link = NationalIdentity.objects.select_related("user").filter(issuer=claims.issuer, subject=claims.subject).first()
    if link:
        link.identity_number, link.last_loa, link.last_login_at = claims.identity_number, claims.loa, timezone.now()
        link.save(update_fields=["identity_number", "last_loa", "last_login_at"])
        return link.user, None
    existing = User.objects.filter(identity_number=claims.identity_number).first()
    if existing:
        return None, existing
    return _account_create(claims), None


def _account_create(claims: NationalClaims) -> User:
    email = claims.email.lower() or f"{claims.identity_number}@dinhdanh.invalid"
    if User.objects.filter(email__iexact=email).exists():
        raise NationalLoginError(_(
            "Địa chỉ e-mail %(email)s đã thuộc một tài khoản khác trên Cổng. Hãy đăng nhập bằng tài khoản đó, hoặc "
            "liên hệ bộ phận hỗ trợ.") % {"email": email})
    try:
        with transaction.atomic():
            user = User(email=email, full_name=claims.full_name, identity_number=claims.identity_number,
                        phone=_phone(claims.phone), date_of_birth=_birth_date(claims.date_of_birth), is_active=True,
                        email_confirmed_at=timezone.now() if claims.email else None)
            user.set_unusable_password()
            user.save()
            _link_save(user, claims)
    except IntegrityError as exc:  # the same citizen's first login in two tabs at once
        raise NationalLoginError(_("Tài khoản đang được tạo. Vui lòng đăng nhập lại.")) from exc
    return user


def _link_save(user: User, claims: NationalClaims) -> NationalIdentity:
    link, _created = NationalIdentity.objects.update_or_create(
        issuer=claims.issuer, subject=claims.subject,
        defaults={"user": user, "identity_number": claims.identity_number, "last_loa": claims.loa,
                  "last_login_at": timezone.now()})
    return link


def national_link_confirm(*, user: User, password: str, claims: NationalClaims) -> bool:
    """Link the account to the national identity once its owner entered its password; False when wrong."""
    if user.identity_number != claims.identity_number or not user.is_active or not user.check_password(password):
        return False
    with transaction.atomic():
        _link_save(user, claims)
    return True


def national_loa(session) -> int | None:
    """The level of assurance of this session's national login; None when the user logged in otherwise."""
    record = session.get(SESSION_KEY) or {}
    return record.get("loa")
