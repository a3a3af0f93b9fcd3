"""The sandbox provider's data: its test citizens and the portal registered as its client."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from oauth2_provider.models import get_application_model

from .models import Misbehaviour, TestCitizen

# (SoDinhDanh, HoVaTen, ThuDienTu, SoDienThoai, NgayThangNamSinh, GioiTinh, loAs level)
TEST_CITIZENS = (
    ("062090000001", "Nguyễn Văn An", "an.nguyen@example.vn", "0905000001", "15/03/1990", "Nam", 2),
    ("062085000002", "Trần Thị Bình", "binh.tran@example.vn", "0905000002", "02/11/1985", "Nữ", 2),
    ("062095000003", "Lê Văn Cường", "", "0905000003", "20/07/1995", "Nam", 1),
    ("062070000004", "Y Bơ Rông", "ybo.rong@example.vn", "", "01/01/1970", "Nam", 2),
)


@transaction.atomic
def sandbox_ensure() -> None:
    """Create the test citizens and the portal's client registration if missing (idempotent)."""
    users = get_user_model()
    for number, name, email, phone, born, gender, loa in TEST_CITIZENS:
        if TestCitizen.objects.filter(so_dinh_danh=number).exists():
            continue
        user, _ = users.objects.get_or_create(email=f"{number}@idp-sandbox.invalid", defaults={"is_active": False})
        user.set_unusable_password()
        user.save()
        TestCitizen.objects.create(user=user, so_dinh_danh=number, ho_va_ten=name, thu_dien_tu=email,
                                   so_dien_thoai=phone, ngay_sinh=born, gioi_tinh=gender, loa=loa)
    application = get_application_model()
    if not application.objects.filter(client_id=settings.NATIONAL_IDP_CLIENT_ID).exists():
        application.objects.create(
            name="Cổng Dịch vụ công tỉnh", client_id=settings.NATIONAL_IDP_CLIENT_ID,
            client_secret=settings.NATIONAL_IDP_CLIENT_SECRET, client_type="confidential",
            authorization_grant_type="authorization-code", algorithm="RS256", skip_authorization=True,
            redirect_uris=settings.NATIONAL_IDP_SANDBOX_REDIRECT_URI,
            post_logout_redirect_uris=settings.NATIONAL_IDP_SANDBOX_LOGOUT_URI)


def citizen_login(*, so_dinh_danh: str, password: str) -> TestCitizen | None:
    citizen = TestCitizen.objects.filter(so_dinh_danh=so_dinh_danh.strip()).first()
    return citizen if citizen and citizen.password == password else None


def citizen_misbehave(*, so_dinh_danh: str, misbehaviour: str) -> TestCitizen:
    if misbehaviour not in Misbehaviour.values:
        raise ValueError(misbehaviour)
    citizen = TestCitizen.objects.get(so_dinh_danh=so_dinh_danh)
    citizen.misbehaviour = misbehaviour
    citizen.save(update_fields=["misbehaviour"])
    return citizen


def rotated() -> bool:
    """The provider publishes its next key once a citizen asks to be signed with it."""
    return TestCitizen.objects.filter(misbehaviour=Misbehaviour.ROTATED_KEY).exists()
