"""Login through the national identity provider (accounts/national.py): start, callback, link, logout."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import national
from .models import User

NEXT_KEY = "national_next"
BACKEND = "accounts.backends.EmailOrIdentityBackend"
LINK_ATTEMPTS = 5


def _enabled():
    if not settings.NATIONAL_LOGIN_ENABLED:
        raise Http404


def _refused(request, message: str):
    """The refusal page: why, a new try, and the password login; no session is opened."""
    return render(request, "accounts/national_refused.html", {"message": message}, status=403)


@never_cache
@require_GET
def national_start(request):
    """Đăng nhập bằng tài khoản định danh quốc gia: off to the provider's login."""
    _enabled()
    wanted = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        request.session[NEXT_KEY] = wanted
    try:
        return national.national_authorize(
            request, redirect_uri=request.build_absolute_uri(reverse("accounts:national_callback")))
    except national.NationalLoginError as exc:
        return _refused(request, exc.message)


def _login(request, user: User, claims: national.NationalClaims):
    wanted = request.session.get(NEXT_KEY) or reverse(settings.LOGIN_REDIRECT_URL)
    login(request, user, backend=BACKEND)
    request.session[national.SESSION_KEY] = {"loa": claims.loa, "id_token": claims.id_token,
                                             "issuer": claims.issuer, "subject": claims.subject}
    request.session.set_expiry(0)  # ends with the browser, as a login without "remember me"
    messages.success(request, _("Đã đăng nhập bằng tài khoản định danh quốc gia."))
    return HttpResponseRedirect(wanted)


@never_cache
@require_GET
def national_callback(request):
    """The provider sends the citizen back here with a code (or an error)."""
    _enabled()
    try:
        claims = national.national_callback(request)
        user, to_confirm = national.national_account(claims)
    except national.NationalLoginError as exc:
        return _refused(request, exc.message)
    if to_confirm is not None:
        request.session[national.PENDING_KEY] = {"user_id": to_confirm.pk, "claims": claims.as_session(),
                                                 "attempts": 0}
        return redirect("accounts:national_link")
    if not user.is_active:
        return _refused(request, _("Tài khoản gắn với số định danh này đang bị khóa. Vui lòng liên hệ bộ phận hỗ trợ."))
    return _login(request, user, claims)


class LinkForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Mật khẩu tài khoản trên Cổng"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


@never_cache
def national_link(request):
    """An account already holds this identity number: its owner enters its password to link it."""
    _enabled()
    pending = request.session.get(national.PENDING_KEY)
    user = User.objects.filter(pk=pending["user_id"]).first() if pending else None
    if user is None:  # no national login waiting for a password here
        raise Http404
    claims = national.NationalClaims(**pending["claims"])
    form = LinkForm(request.POST or None)
    if request.method == "POST" and "cancel" in request.POST:
        del request.session[national.PENDING_KEY]
        return redirect("accounts:login")
    if request.method == "POST" and form.is_valid():
        if national.national_link_confirm(user=user, password=form.cleaned_data["password"], claims=claims):
            del request.session[national.PENDING_KEY]
            return _login(request, user, claims)
        pending["attempts"] += 1
        if pending["attempts"] >= LINK_ATTEMPTS:
            del request.session[national.PENDING_KEY]
            return _refused(request, _("Nhập sai mật khẩu quá nhiều lần. Tài khoản chưa được liên kết."))
        request.session[national.PENDING_KEY] = pending
        form.add_error("password", _("Mật khẩu không đúng."))
    masked = user.email[:2] + "…@" + user.email.split("@")[-1]
    return render(request, "accounts/national_link.html", {"form": form, "email": masked, "claims": claims},
                  status=400 if form.is_bound and form.errors else 200)


class LogoutView(auth_views.LogoutView):
    """Đăng xuất: the portal's session, then the provider's where the citizen logged in through it."""

    def post(self, request, *args, **kwargs):
        record = request.session.get(national.SESSION_KEY) or {}
        response = super().post(request, *args, **kwargs)
        url = national.national_logout_url(id_token=record.get("id_token", ""),
                                           post_logout_redirect_uri=request.build_absolute_uri(reverse("home")))
        return HttpResponseRedirect(url) if url else response
