"""The staff admin: password plus a TOTP code (django-otp) for every staff account and administrator."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class PortalAdminAuthenticationForm(OTPAdminAuthenticationForm):
    otp_error_messages = dict(
        OTPAdminAuthenticationForm.otp_error_messages,
        token_required=_("Nhập mã xác thực 6 số trong ứng dụng xác thực của bạn."),
        invalid_token=_("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới nhất."),
        device_required=_(
            "Chưa chọn được thiết bị xác thực. Nếu tài khoản chưa thiết lập xác thực hai lớp, "
            "hãy làm theo liên kết bên dưới."
        ),
        n_failed_attempts=ngettext_lazy(
            "Tạm khóa xác thực vì đã nhập sai %(failure_count)d lần, hãy thử lại sau ít phút.",
            "Tạm khóa xác thực vì đã nhập sai %(failure_count)d lần, hãy thử lại sau ít phút.",
            "failure_count",
        ),
        verification_not_allowed=_("Tạm thời chưa thể xác thực, hãy thử lại sau ít phút."),
    )


    def _chosen_device(self, user):
        """The device picked in the form, or the user's only device when there is just one."""
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user))
            if len(devices) == 1:
                return devices[0]
        return device


class PortalAdminSite(OTPAdminSite):
    """Admin that only verified sessions (password + TOTP) may use."""

    login_form = PortalAdminAuthenticationForm
    login_template = "admin/otp_login.html"
    site_header = settings.PORTAL_NAME
    site_title = settings.PORTAL_NAME
    index_title = _("Quản trị hệ thống")
