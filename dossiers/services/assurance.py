"""The level of assurance a procedure asks of the login before a dossier is submitted (Procedure.national_login_loa)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def dossier_assurance_check(*, procedure, national_loa: int | None) -> None:
    """Refuse the submission unless the citizen logged in through the national identity provider at the level the
    procedure asks (national_loa: the session's, accounts.national.national_loa; None for a password login)."""
    wanted = procedure.national_login_loa
    if wanted and (national_loa or 0) < wanted:
        raise ValidationError(
            _("Thủ tục này yêu cầu đăng nhập bằng tài khoản định danh điện tử (VNeID) mức %(level)s trước khi nộp "
              "hồ sơ. Vui lòng đăng nhập bằng tài khoản định danh quốc gia rồi nộp lại; hồ sơ nháp của bạn vẫn được "
              "giữ.") % {"level": wanted}, code="national_login")
