from django.urls import path

from . import views

app_name = "sandbox"

urlpatterns = [
    path("", views.index, name="index"),
    # VNPay 2.1.0
    path("vnpay/paymentv2/vpcpay.html", views.vnpay_pay, name="vnpay_pay"),
    path("vnpay/merchant_webapi/api/transaction", views.vnpay_api, name="vnpay_api"),
    path("vnpay/<uuid:token>/", views.vnpay_method, name="vnpay_method"),
    path("vnpay/<uuid:token>/the-noi-dia/<str:bank>/", views.vnpay_atm_card, name="vnpay_atm_card"),
    path("vnpay/<uuid:token>/the-quoc-te/", views.vnpay_international_card, name="vnpay_international_card"),
    path("vnpay/<uuid:token>/otp/", views.vnpay_otp, name="vnpay_otp"),
    path("vnpay/<uuid:token>/qr/", views.vnpay_qr, name="vnpay_qr"),
    path("vnpay/<uuid:token>/ket-thuc/", views.vnpay_finish, name="vnpay_finish"),
    # MoMo v2
    path("momo/v2/gateway/api/create", views.momo_create, name="momo_create"),
    path("momo/v2/gateway/api/query", views.momo_query, name="momo_query"),
    path("momo/v2/gateway/api/refund", views.momo_refund, name="momo_refund"),
    path("momo/<uuid:token>/", views.momo_pay, name="momo_pay"),
]
