"""Writes for accounts: registration, e-mail confirmation and change, profile updates."""

import hashlib
import logging
from datetime import date

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from common.ratelimit import rate_allow
from notifications.links import link_builder
from notifications.services import REDACTED_LINK, email_queue

from .constants import (
    EMAIL_KIND_CONFIRM,
    EMAIL_KIND_EMAIL_CHANGE,
    EMAIL_KIND_EXISTS,
    EMAIL_KIND_PASSWORD_RESET,
    AccountType,
)
from .models import User
from .tokens import account_confirmation_token, email_change_token

logger = logging.getLogger(__name__)

# Fields a user may change on Trang cá nhân; identity data (CCCD/MST, birth date) are fixed once registered.
PROFILE_FIELDS = ("full_name", "representative", "phone", "province_code", "commune_code", "street_address")


def _link(name: str, user: User, token: str, *, site_url: str = "") -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return (site_url or settings.SITE_URL).rstrip("/") + reverse(name, kwargs={"uidb64": uidb64, "token": token})


def _user_from_uidb64(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return User.objects.filter(pk=pk).first()


def _address_key(email: str) -> str:
    return "accounts:mail:addr:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()


LINK_CONFIRM, LINK_EMAIL_CHANGE, LINK_PASSWORD_RESET = "confirm", "email_change", "password_reset"
@link_builder
def email_link_context(*, redacted: bool, purpose: str, user_id: int, new_email: str = "", site_url: str = "") -> dict:
    """The part of an account e-mail that grants access: the account and its link, made at send time.

    The outbox stores the e-mail rendered with `redacted=True` (notifications.services.email_queue), so the
    live token exists only in the message that leaves for the mail server, made anew on each (re)send.
    An e-mail-change link whose request was replaced by a newer one gets no link: it would confirm the
    newer address from a mailbox that does not own it. `site_url` is the portal's address where the e-mail
    was queued (the worker that sends it may run with another SITE_URL).
    """
    user = User.objects.get(pk=user_id)
    context = {"user": user}
    if redacted:
        return {**context, "link": REDACTED_LINK}
    if purpose == LINK_CONFIRM:
        link = _link("accounts:confirm", user, account_confirmation_token.make_token(user), site_url=site_url)
    elif purpose == LINK_EMAIL_CHANGE:
        if user.pending_email.lower() != new_email.lower():
            return {**context, "link": _("(liên kết này đã được thay bằng một yêu cầu đổi e-mail mới hơn)")}
        link = _link("accounts:confirm_email_change", user, email_change_token.make_token(user), site_url=site_url)
    elif purpose == LINK_PASSWORD_RESET:
        link = _link("accounts:password_reset_confirm", user, default_token_generator.make_token(user),
                     site_url=site_url)
    else:
        raise ValueError(purpose)
    return {**context, "link": link}


def account_send_confirmation(*, user: User) -> None:
    """Queue the registration e-mail with a link valid for ACCOUNT_CONFIRMATION_TIMEOUT."""
    email_queue(
        to=user.email,
        template="emails/account_confirmation",
        context={
            "hours": settings.ACCOUNT_CONFIRMATION_TIMEOUT // 3600,
            "resend_url": settings.SITE_URL.rstrip("/") + reverse("accounts:resend"),
        },
        secret_link=(email_link_context, {"purpose": LINK_CONFIRM, "user_id": user.pk, "site_url": settings.SITE_URL}),
        kind=EMAIL_KIND_CONFIRM,
    )


def account_send_password_reset(*, user: User) -> None:
    """Queue the password-reset e-mail; its link is made when it is sent."""
    email_queue(
        to=user.email,
        template="emails/password_reset",
        context={},
        secret_link=(email_link_context, {"purpose": LINK_PASSWORD_RESET, "user_id": user.pk, "site_url": settings.SITE_URL}),
        kind=EMAIL_KIND_PASSWORD_RESET,
    )


def _notify_existing(*, user: User) -> None:
    """Tell the owner of an existing account that someone tried to register with its details."""
    base = settings.SITE_URL.rstrip("/")
    email_queue(
        to=user.email,
        template="emails/account_exists",
        context={
            "user": user,
            "login_url": base + reverse("accounts:login"),
            "reset_url": base + reverse("accounts:password_reset"),
        },
        kind=EMAIL_KIND_EXISTS,
    )


@transaction.atomic
def account_register(
    *,
    account_type: str,
    email: str,
    password: str,
    identity_number: str,
    full_name: str,
    phone: str,
    province_code: int,
    commune_code: int,
    street_address: str,
    date_of_birth: date | None = None,
    gender: str = "",
    representative: str = "",
) -> User | None:
    """Create an inactive account and queue its confirmation e-mail; return None for a duplicate.

    A duplicate (same e-mail or same CCCD/MST) gets the same answer on the page as a new
    registration, so that the form cannot tell a stranger who has an account; the owner of the
    existing account is told by e-mail instead (or sent a fresh link if never confirmed).
    """
    email = email.strip().lower()
    existing = list(User.objects.filter(Q(email__iexact=email) | Q(identity_number=identity_number)).order_by("pk"))
    if not existing:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    account_type=account_type,
                    identity_number=identity_number,
                    full_name=full_name,
                    phone=phone,
                    date_of_birth=date_of_birth if account_type == AccountType.INDIVIDUAL else None,
                    gender=gender if account_type == AccountType.INDIVIDUAL else "",
                    representative=representative if account_type == AccountType.ORGANISATION else "",
                    province_code=province_code,
                    commune_code=commune_code,
                    street_address=street_address,
                    is_active=False,
                )
        except IntegrityError:  # a concurrent registration took the address or number first
            logger.info("registration lost a race on a unique field")
            return None
        account_send_confirmation(user=user)
        return user
    make_password(password)  # as long as a new account takes, so that timing does not tell either
    for other in existing:
        if not rate_allow(_address_key(other.email), limit=settings.ACCOUNT_RESEND_PER_ADDRESS,
                          window=settings.ACCOUNT_RESEND_WINDOW):
            continue
        if other.email.lower() == email and other.email_confirmed_at is None and not other.is_active:
            account_send_confirmation(user=other)
        else:
            _notify_existing(user=other)
    return None


def account_confirm(*, uidb64: str, token: str) -> User | None:
    """Activate the account named by a registration link; return it, or None for a dead link."""
    user = _user_from_uidb64(uidb64)
    if user is None or not account_confirmation_token.check_token(user, token):
        return None
    now = timezone.now()
    # Guarded: of two clicks racing on the same link, only one confirms.
    updated = User.objects.filter(pk=user.pk, email_confirmed_at__isnull=True).update(
        is_active=True, email_confirmed_at=now
    )
    return user if updated else None


def account_resend_confirmation(*, email: str, client_ip: str) -> None:
    """Send the registration link again if this address has an unconfirmed account.

    Limited per address and per client; the caller shows the same answer whatever happened here.
    """
    client_ok = rate_allow(f"accounts:mail:ip:{client_ip}", limit=settings.ACCOUNT_RESEND_PER_CLIENT,
                           window=settings.ACCOUNT_RESEND_WINDOW)
    address_ok = rate_allow(_address_key(email), limit=settings.ACCOUNT_RESEND_PER_ADDRESS,
                            window=settings.ACCOUNT_RESEND_WINDOW)
    if not (client_ok and address_ok):
        return
    user = User.objects.filter(email__iexact=email.strip(), is_active=False, email_confirmed_at__isnull=True).first()
    if user is not None:
        account_send_confirmation(user=user)


@transaction.atomic
def account_update_profile(*, user: User, email: str, **fields) -> bool:
    """Save the editable details; a new e-mail waits for its link. Return True if one was requested."""
    changed = [name for name in PROFILE_FIELDS if name in fields and getattr(user, name) != fields[name]]
    for name in changed:
        setattr(user, name, fields[name])
    if changed:
        user.save(update_fields=changed)
    if email.strip().lower() != user.email.lower():
        account_request_email_change(user=user, new_email=email)
        return True
    return False


def account_request_email_change(*, user: User, new_email: str) -> None:
    """Send a confirmation link to the new address; the e-mail changes only when it is opened.

    An address that belongs to another account is kept as pending all the same, and its owner is told
    that someone tried to use it instead of receiving a link: the profile page, the pending address it
    shows and the timing answer the same either way, so a logged-in user cannot probe for accounts.
    """
    new_email = new_email.strip().lower()
    user.pending_email = new_email
    user.save(update_fields=["pending_email"])
    owner = User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).first()
    if owner is not None:
        if rate_allow(_address_key(owner.email), limit=settings.ACCOUNT_RESEND_PER_ADDRESS,
                      window=settings.ACCOUNT_RESEND_WINDOW):
            email_queue(
                to=owner.email,
                template="emails/email_change_taken",
                context={"user": owner, "reset_url": settings.SITE_URL.rstrip("/") + reverse("accounts:password_reset")},
                kind=EMAIL_KIND_EXISTS,
            )
        return
    email_queue(
        to=new_email,
        template="emails/email_change",
        context={"new_email": new_email, "hours": settings.ACCOUNT_CONFIRMATION_TIMEOUT // 3600},
        secret_link=(email_link_context, {"purpose": LINK_EMAIL_CHANGE, "user_id": user.pk, "new_email": new_email,
                                    "site_url": settings.SITE_URL}),
        kind=EMAIL_KIND_EMAIL_CHANGE,
    )


def account_confirm_email_change(*, uidb64: str, token: str) -> User | None:
    """Make the pending address the account's e-mail; return the account, or None for a dead link."""
    user = _user_from_uidb64(uidb64)
    if user is None or not user.pending_email or not email_change_token.check_token(user, token):
        return None
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.pending_email != user.pending_email:
            return None
        new_email = locked.pending_email
        if User.objects.filter(email__iexact=new_email).exclude(pk=locked.pk).exists():
            User.objects.filter(pk=locked.pk).update(pending_email="")
            return None
        try:
            with transaction.atomic():
                User.objects.filter(pk=locked.pk).update(email=new_email, pending_email="")
        except IntegrityError:  # taken by a registration in the meantime
            return None
    locked.refresh_from_db()
    return locked
