from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from common.captcha import captcha_audio

from . import metrics, views

urlpatterns = [
    path("", views.home, name="home"),
    path("huong-dan/", views.guide, name="guide"),
    path("cau-hoi-thuong-gap/", views.faq, name="faq"),
    path("dich-vu-cong-truc-tuyen/", views.online_services, name="online_services"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("favicon.ico", views.favicon),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("captcha/am-thanh/<str:key>.wav", captcha_audio, name="captcha-audio-clip"),
    path("captcha/", include("captcha.urls")),
    path("thu-tuc/", include("procedures.urls")),
    path("tai-khoan/kho-giay-to/", include("wallet.urls")),
    path("tai-khoan/uy-quyen/", include("representation.pages.urls")),
    path("tai-khoan/", include("accounts.urls")),
    path("", include("dossiers.urls")),
    path("thong-ke/", include("reports.urls")),
    path("thanh-toan/", include("payments.urls")),
    path("lich-hen/", include("appointments.urls")),
    path("xac-thuc-van-ban/", include("signatures.urls")),
    path("api/", include("api.urls")),  # the integration API, versioned: /api/v1/
    path("tai-len/", include("uploads_tus.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

# Development stand-ins, each mounted only when its own setting is on (off in production unless set; the same
# settings install their apps, and `check --deploy` warns about each one that is on: portal/checks.py).
if settings.NATIONAL_IDP_SANDBOX:  # the simulated national identity provider (before /sandbox/ of the payments)
    urlpatterns += [path("sandbox/idp/", include(("sandbox_idp.provider_urls", "oauth2_provider"))),
                    path("sandbox/idp/", include("sandbox_idp.urls"))]
if settings.PAYMENT_SANDBOX:  # the simulated payment gateways
    urlpatterns.append(path("sandbox/", include("sandbox.urls")))
if settings.SMS_SANDBOX:  # the simulated SMS brandname gateway
    urlpatterns.append(path("sandbox/sms/", include("notice_sandbox.sms_urls")))
if settings.ZALO_SANDBOX:  # the simulated Zalo OA API
    urlpatterns.append(path("sandbox/zalo/", include("notice_sandbox.zalo_urls")))
if settings.NATIONAL_SANDBOX:  # the simulated national portal (Cổng DVC quốc gia), both sync protocols
    urlpatterns.append(path("sandbox/dvcqg/", include("sandbox_dvcqg.urls")))
if settings.DEMO_MODE:  # the demo mailbox, at the address README and `make run` give
    urlpatterns.append(path("tai-khoan/hop-thu/", include("demo.urls")))
if settings.BENCH_ENDPOINTS:  # /bench/ping/, the benchmarks' ceiling
    urlpatterns.append(path("bench/", include("demo.bench_urls")))
