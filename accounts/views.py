"""Pages of the accounts app: register, confirm, log in, profile, second factor."""

from axes.helpers import get_cool_off
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from common.client import client_ip

from . import otp, selectors, services
from .constants import AccountType
from .forms import (
    CitizenRegistrationForm,
    LoginForm,
    OrganisationRegistrationForm,
    PasswordResetForm,
    ProfileForm,
    ResendConfirmationForm,
)

REGISTRATION_TABS = {"cong-dan": CitizenRegistrationForm, "to-chuc": OrganisationRegistrationForm}
NOT_KEPT = ("password1", "password2", "csrfmiddlewaretoken", "captcha_0", "captcha_1", "refresh")
RESEND_ANSWER = gettext_lazy(
    "Nếu địa chỉ này có tài khoản chưa xác nhận, thư xác nhận mới sẽ đến trong ít phút. "
    "Hãy kiểm tra cả thư mục thư rác (spam)."
)


def _kept(post) -> dict:
    """Return what was typed, minus passwords and one-time fields, to show the form again."""
    return {k: v for k, v in post.items() if k not in NOT_KEPT}


def register(request):
    """Đăng ký tài khoản: two tabs, citizen and organisation."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    tab = request.POST.get("loai") or request.GET.get("loai") or "cong-dan"
    if tab not in REGISTRATION_TABS:
        tab = "cong-dan"
    form_class = REGISTRATION_TABS[tab]
    if request.method != "POST":
        form = form_class()
    elif "refresh" in request.POST:
        # Without JavaScript, choosing a province re-renders the form with its communes, no errors yet.
        form = form_class(initial=_kept(request.POST))
    else:
        form = form_class(request.POST)
        if form.is_valid():
            # A duplicate gets the same page as a new account; its owner is told by e-mail.
            services.account_register(**form.registration_data(), language=request.LANGUAGE_CODE)
            return redirect("accounts:register_done")
    return render(request, "accounts/register.html", {"form": form, "tab": tab, "tabs": REGISTRATION_TABS})


def register_done(request):
    return render(request, "accounts/register_done.html")


@require_GET
def communes(request):
    """JSON list of the communes of one province, for the registration and profile forms."""
    try:
        province = int(request.GET.get("tinh", ""))
    except ValueError:
        province = 0
    return JsonResponse({"communes": [[code, name] for code, name in selectors.commune_choices(province_code=province)]})


@require_GET
def confirm(request, uidb64, token):
    """The registration link from the e-mail: activate the account once."""
    user = services.account_confirm(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/link_invalid.html", {"form": ResendConfirmationForm()}, status=400)
    messages.success(request, _("Tài khoản của bạn đã được kích hoạt. Mời bạn đăng nhập."))
    return redirect("accounts:login")


def resend(request):
    """Gửi lại e-mail xác nhận: the same answer whether or not the address has an account."""
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.account_resend_confirmation(
            email=form.cleaned_data["email"], client_ip=client_ip(request)
        )
        messages.info(request, RESEND_ANSWER)
        return redirect("accounts:resend")
    return render(request, "accounts/resend.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # National login first, as on the national portal (views_national.py); the password login below it.
        return super().get_context_data(**kwargs, national_login_enabled=settings.NATIONAL_LOGIN_ENABLED)

    def form_valid(self, form):
        response = super().form_valid(form)
        # Without "remember me" the session ends with the browser.
        self.request.session.set_expiry(None if form.cleaned_data.get("remember_me") else 0)
        return response


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: the wait, and password reset as the way out."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    return render(
        request,
        "accounts/lockout.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # A new password is the way out of a lockout: forget this account's failed logins.
        axes_reset(username=form.user.email)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")


@login_required
def profile(request):
    """Trang cá nhân: details, editing, and links to the user's dossiers and transactions."""
    user = request.user
    if request.method == "POST" and "refresh" in request.POST:
        form = ProfileForm(user=user, initial=_kept(request.POST))
    else:
        form = ProfileForm(request.POST or None, user=user)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            if services.account_update_profile(user=user, **data):
                messages.info(
                    request,
                    _(
                        "Chúng tôi đã gửi liên kết xác nhận tới %(email)s. "
                        "E-mail đăng nhập chỉ đổi sau khi bạn mở liên kết đó."
                    )
                    % {"email": data["email"]},
                )
            messages.success(request, _("Đã lưu thông tin cá nhân."))
            return redirect("accounts:profile")
    context = {
        "form": form,
        "province": selectors.province_name(code=user.province_code),
        "commune": selectors.commune_name(code=user.commune_code),
        "is_organisation": user.account_type == AccountType.ORGANISATION,
        "notice_channels": bool(settings.NOTICE_CHANNELS),  # the link to /tai-khoan/thong-bao/
    }
    if user.is_staff:
        from .roles import roles_of

        agency_roles = list(user.agency_roles.select_related("agency").order_by("agency__name"))
        context.update(
            staff_roles=roles_of(user),
            agency_roles=agency_roles,
            staff_agencies=list(dict.fromkeys(a.agency.name for a in agency_roles)),
            otp_devices=otp.otp_devices(user=user),
        )
    return render(request, "accounts/profile.html", context)


@require_GET
def confirm_email_change(request, uidb64, token):
    """The link sent to a new address: it becomes the login e-mail."""
    user = services.account_confirm_email_change(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/link_invalid.html", {"email_change": True}, status=400)
    messages.success(request, _("E-mail đăng nhập của bạn từ nay là %(email)s.") % {"email": user.email})
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


@login_required
def otp_setup(request):
    """Xác thực hai lớp: staff pair an authenticator app; changing it needs the current one (accounts.otp)."""
    if not request.user.is_staff:
        raise Http404
    user = request.user
    error = ""
    step = ""
    if request.method == "POST":
        step = request.POST.get("step") or ("confirm" if "token" in request.POST else "")
    if step == "unlock":
        if otp.otp_change_unlock(request=request, token=request.POST.get("current_token", "")):
            return redirect("accounts:otp_setup")
        error = _("Mã của thiết bị hiện tại không đúng, đã dùng rồi, hoặc cần đợi vài giây trước khi thử lại.")
    elif step == "remove":
        if otp.otp_devices_remove(request=request):
            messages.success(request, _("Đã gỡ ứng dụng xác thực. Hãy ghép một ứng dụng mới trước khi vào trang quản trị."))
            return redirect("accounts:otp_setup")
        error = _("Cần nhập mã của thiết bị hiện tại trước khi gỡ.")
        return render(request, "accounts/otp_setup.html", {"devices": otp.otp_devices(user=user), "error": error},
                      status=403)
    changing = otp.otp_change_allowed(request=request)
    context = {"devices": otp.otp_devices(user=user), "changing": changing, "error": error}
    if changing:
        device = otp.otp_device_pending(user=user)
        if step == "confirm":
            if otp.otp_device_confirm(request=request, device=device, token=request.POST.get("token", "")):
                messages.success(
                    request, _("Đã bật xác thực hai lớp. Từ nay đăng nhập trang quản trị cần mã trong ứng dụng.")
                )
                return redirect("admin:index")
            context["error"] = _(
                "Mã không đúng. Hãy nhập mã 6 số đang hiện trong ứng dụng (mã đổi sau mỗi 30 giây); "
                "sau mỗi lần nhập sai cần đợi vài giây mới thử lại được."
            )
        context.update(qr=otp.otp_qr_data_uri(device), secret=otp.otp_secret_base32(device))
    elif step == "confirm":
        context["error"] = _("Tài khoản đã có ứng dụng xác thực: nhập mã của nó trước khi ghép ứng dụng mới.")
        return render(request, "accounts/otp_setup.html", context, status=403)
    return render(request, "accounts/otp_setup.html", context)
