"""The staff admin: password plus a TOTP code (django-otp) for every staff account and administrator."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class PortalAdminAuthenticationForm(OTPAdminAuthenticationForm):
    otp_error_messages = dict(
        OTPAdminAuthenticationForm.otp_error_messages,
        token_required=_("Nhập mã xác thực 6 số trong ứng dụng xác thực của bạn."),
        invalid_token=_("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới nhất."),
        device_required=_("Tài khoản chưa thiết lập xác thực hai lớp."),
        n_failed_attempts=ngettext_lazy(
            "Tạm khóa xác thực vì đã nhập sai %(failure_count)d lần, hãy thử lại sau ít phút.",
            "Tạm khóa xác thực vì đã nhập sai %(failure_count)d lần, hãy thử lại sau ít phút.",
            "failure_count",
        ),
        verification_not_allowed=_("Tạm thời chưa thể xác thực, hãy thử lại sau ít phút."),
    )


class PortalAdminSite(OTPAdminSite):
    """Admin that only verified sessions (password + TOTP) may use."""

    login_form = PortalAdminAuthenticationForm
    login_template = "admin/otp_login.html"
    site_header = settings.PORTAL_NAME
    site_title = settings.PORTAL_NAME
    index_title = _("Quản trị hệ thống")
