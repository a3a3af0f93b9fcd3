"""Test citizens of the simulated national identity provider, each with the claims it gives and how it misbehaves."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Misbehaviour(models.TextChoices):
    NONE = "", _("Bình thường")
    WRONG_AUDIENCE = "wrong_audience", _("id_token cho ứng dụng khác (aud sai)")
    EXPIRED = "expired", _("id_token đã hết hạn")
    BAD_SIGNATURE = "bad_signature", _("Chữ ký id_token sai")
    UNKNOWN_KEY = "unknown_key", _("Ký bằng khóa không công bố")
    ROTATED_KEY = "rotated_key", _("Đổi khóa ký (khóa mới được công bố)")
    REPLAYED_CODE = "replayed_code", _("Chấp nhận lại mã xác thực đã dùng")
    WRONG_NONCE = "wrong_nonce", _("nonce không khớp")
    WRONG_STATE = "wrong_state", _("state trả về không khớp")


class TestCitizen(models.Model):
    """A citizen of the national population database, as the provider knows them (its claims' names)."""

    # The provider's login: the DOT grants and tokens need a user row of AUTH_USER_MODEL; this one is inactive,
    # without a password, on an address that cannot receive mail, and carries none of the citizen's data.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sandbox_idp_citizen")
    so_dinh_danh = models.CharField("SoDinhDanh", max_length=12, unique=True)
    ho_va_ten = models.CharField("HoVaTen", max_length=255)
    thu_dien_tu = models.EmailField("ThuDienTu", blank=True)
    so_dien_thoai = models.CharField("SoDienThoai", max_length=20, blank=True)
    ngay_sinh = models.CharField("NgayThangNamSinh", max_length=10, blank=True)  # dd/mm/yyyy
    gioi_tinh = models.CharField("GioiTinh", max_length=10, blank=True)
    loa = models.PositiveSmallIntegerField(_("mức định danh (loAs)"), default=2)
    password = models.CharField(_("mật khẩu thử nghiệm"), max_length=40, default="123456")
    misbehaviour = models.CharField(_("hành vi lỗi"), max_length=20, choices=Misbehaviour.choices, blank=True,
                                    default="")

    class Meta:
        verbose_name = _("công dân thử nghiệm")
        verbose_name_plural = _("công dân thử nghiệm")
        ordering = ["so_dinh_danh"]

    def __str__(self):
        return f"{self.ho_va_ten} ({self.so_dinh_danh})"

    def claims(self) -> dict:
        """The claims the provider gives, named as the national provider names them."""
        return {"SoDinhDanh": self.so_dinh_danh, "HoVaTen": self.ho_va_ten, "ThuDienTu": self.thu_dien_tu,
                "SoDienThoai": self.so_dien_thoai, "NgayThangNamSinh": self.ngay_sinh, "GioiTinh": self.gioi_tinh,
                "loAs": [f"loa{self.loa}"], "acr": f"loa{self.loa}"}
