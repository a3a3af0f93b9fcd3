import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import i18n as i18n_views
from django.views.decorators.cache import never_cache

from common.collation import vi_order
from common.page_cache import public_page
from procedures import selectors as procedure_selectors

from .operators import may_read_health_details
from procedures.models import Agency

logger = logging.getLogger(__name__)


@public_page(version=procedure_selectors.CATALOGUE_PAGES)
def home(request):
    """Trang chủ: search box, the three steps of the guidance letters, frequent procedures."""
    steps = [
        {
            "title": _("Đăng ký tài khoản"),
            "text": _("Điền đầy đủ thông tin, bấm “Đăng ký”, rồi mở e-mail “Xác nhận đăng ký tài khoản” để kích hoạt."),
            "url": reverse("guide") + "#buoc-1",
            "link": _("Xem hướng dẫn"),
        },
        {
            "title": _("Nộp hồ sơ trực tuyến"),
            "text": _("Tìm thủ tục, điền thông tin người nộp, đính kèm thành phần hồ sơ, chọn hình thức nhận kết quả và bấm “Nộp hồ sơ”."),
            "url": reverse("procedures:catalogue"),
            "link": _("Tra cứu thủ tục"),
        },
        {
            "title": _("Thanh toán trực tuyến"),
            "text": _("Vào “Trang cá nhân” → “Danh sách giao dịch”, chọn hồ sơ và bấm “Thanh toán phí/lệ phí” qua ngân hàng hoặc ví điện tử."),
            "url": reverse("guide") + "#buoc-3",
            "link": _("Xem hướng dẫn"),
        },
    ]
    return render(request, "home.html", {"steps": steps, "frequent": procedure_selectors.frequent_procedures()})


@public_page(version=procedure_selectors.CATALOGUE_PAGES)
def guide(request):
    return render(request, "pages/guide.html")


FAQS = [
    (
        gettext_lazy("Tôi cần làm gì để sử dụng dịch vụ công trực tuyến?"),
        gettext_lazy("Đăng ký tài khoản trên Cổng (chọn Công dân hoặc Tổ chức), mở e-mail “Xác nhận đăng ký tài khoản sử dụng "
        "Cổng dịch vụ công trực tuyến” và bấm đường dẫn trong thư để kích hoạt, sau đó đăng nhập."),
    ),
    (
        gettext_lazy("Dịch vụ công mức độ 3 và mức độ 4 khác nhau thế nào?"),
        gettext_lazy("Mức độ 3 (một phần): nộp hồ sơ trực tuyến, còn thanh toán và nhận kết quả thực hiện trực tiếp hoặc qua bưu chính. "
        "Mức độ 4 (toàn trình): nộp hồ sơ, thanh toán phí, lệ phí và nhận kết quả đều trực tuyến."),
    ),
    (
        gettext_lazy("Làm sao tìm được thủ tục tôi cần?"),
        gettext_lazy("Vào “Tra cứu thủ tục”, gõ vài từ trong tên thủ tục (không cần gõ dấu) hoặc dán mã thủ tục, "
        "có thể lọc thêm theo cơ quan thực hiện, lĩnh vực và mức độ."),
    ),
    (
        gettext_lazy("Tôi có thể nộp hồ sơ tại nhà hoặc nhận kết quả tại nhà không?"),
        gettext_lazy("Có. Khi nộp hồ sơ, chọn nộp hoặc nhận kết quả qua dịch vụ bưu chính công ích và nhập địa chỉ; "
        "nhân viên bưu điện sẽ đến nhận hồ sơ hoặc chuyển kết quả đến địa chỉ đã khai báo."),
    ),
    (
        gettext_lazy("Hồ sơ nộp trực tuyến có được ưu tiên không?"),
        gettext_lazy("Có. Các sở, ngành ưu tiên giải quyết trước hạn đối với hồ sơ nộp trực tuyến trên Cổng Dịch vụ công tỉnh."),
    ),
    (
        gettext_lazy("Thanh toán phí, lệ phí trực tuyến như thế nào?"),
        gettext_lazy("Vào “Trang cá nhân” → “Danh sách giao dịch”, chọn hồ sơ, bấm “Thanh toán phí/lệ phí”, kiểm tra chi tiết phí "
        "và tài khoản nhận, chọn Ngân hàng hoặc Ví điện tử rồi bấm “Thanh toán” và hoàn tất trên trang của ngân hàng, ví."),
    ),
    (
        gettext_lazy("Làm sao theo dõi tiến độ giải quyết hồ sơ?"),
        gettext_lazy("Đăng nhập và xem “Hồ sơ của tôi”, hoặc vào “Tra cứu hồ sơ” và nhập mã hồ sơ cùng mã tra cứu in trên "
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả."),
    ),
]
# The last question's answer lists the support lines the portal is configured with (settings.PORTAL_HOTLINES).
FAQ_CONTACT = (
    gettext_lazy("Tôi gặp lỗi khi sử dụng Cổng thì liên hệ ở đâu?"),
    gettext_lazy("Gọi một trong các số hỗ trợ dưới đây."),
)


@public_page(version=procedure_selectors.CATALOGUE_PAGES)
def faq(request):
    faqs = [(question, answer, ()) for question, answer in FAQS]
    faqs.append((*FAQ_CONTACT, settings.PORTAL_HOTLINES))
    return render(request, "pages/faq.html", {"faqs": faqs})


@public_page(version=procedure_selectors.CATALOGUE_PAGES)
def online_services(request):
    """Dịch vụ công trực tuyến: agencies with how many procedures of each level they offer online."""
    agencies = (
        Agency.objects.annotate(
            level4=Count("procedures", filter=Q(procedures__is_active=True, procedures__online_level=4)),
            level3=Count("procedures", filter=Q(procedures__is_active=True, procedures__online_level=3)),
        )
        .filter(Q(level4__gt=0) | Q(level3__gt=0))
        .order_by("level", vi_order("name"))
    )
    return render(request, "pages/online_services.html", {"agencies": agencies})


@never_cache
def livez(request):
    """Liveness for the supervisor: the process answers. No database, cache or session is touched, so a
    database outage does not get every web process restarted (that is /healthz's business, for the balancer)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request):
    """Readiness for the balancer: whether the database, the cache/broker and the file storage answer.

    The status code and {"status": …} for anyone; which part failed only for the balancer and the operators
    (portal.operators): the public learns nothing of the portal's insides."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any failure is a failed check, reported, not raised
        logger.warning("healthz database: %s", exc)
        checks["database"] = "error"
    try:
        cache.set("healthz", "1", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "1" else "error"
    except Exception as exc:
        logger.warning("healthz cache: %s", exc)
        checks["cache"] = "error"
    checks["broker"] = _broker_check()
    try:
        default_storage.exists("healthz-probe")
        checks["storage"] = "ok"
    except Exception as exc:
        logger.warning("healthz storage: %s", exc)
        checks["storage"] = "error"
    healthy = all(value in {"ok", "in-process"} for value in checks.values())
    answer = {"status": "ok" if healthy else "error"}
    if may_read_health_details(request):
        answer["checks"] = checks
    return JsonResponse(answer, status=200 if healthy else 503)


def _broker_check() -> str:
    from portal.celery import app

    if app.conf.task_always_eager:
        return "in-process"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:
        logger.warning("healthz broker: %s", exc)
        return "error"


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, PDFs): send them the emblem."""
    return HttpResponsePermanentRedirect(static("img/emblem.svg"))


def set_language(request):
    """Django's language switch; a logged-in user's choice is also kept as the language of their e-mails."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "")
    if (request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES)
            and request.user.language != language):
        # request.user is a lazy proxy (django-otp's): its model is the auth model, not type(request.user).
        get_user_model().objects.filter(pk=request.user.pk).update(language=language)
    return response
