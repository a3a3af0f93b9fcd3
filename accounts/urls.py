from django.contrib.auth import views as auth_views
from django.urls import path

from . import notice_views, views, views_national

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("thong-bao/", notice_views.notice_settings, name="notices"),
    path("dang-ky/", views.register, name="register"),
    path("dang-ky/da-gui/", views.register_done, name="register_done"),
    path("xa-phuong/", views.communes, name="communes"),
    path("xac-nhan/<str:uidb64>/<str:token>/", views.confirm, name="confirm"),
    path("gui-lai-xac-nhan/", views.resend, name="resend"),
    path("xac-nhan-email/<str:uidb64>/<str:token>/", views.confirm_email_change, name="confirm_email_change"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-nhap/quoc-gia/", views_national.national_start, name="national_login"),
    path("dang-nhap/quoc-gia/ket-qua/", views_national.national_callback, name="national_callback"),
    path("dang-nhap/quoc-gia/lien-ket/", views_national.national_link, name="national_link"),
    path("dang-xuat/", views_national.LogoutView.as_view(), name="logout"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("dat-lai-mat-khau/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("dat-lai-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("xac-thuc-hai-lop/", views.otp_setup, name="otp_setup"),
]
