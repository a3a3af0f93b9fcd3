from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("", views.transactions, name="transactions"),
    path("ho-so/<str:code>/", views.fee_detail, name="fee_detail"),
    path("bien-lai/<str:reference>/", views.receipt, name="receipt"),
    path("<str:gateway>/return/", views.payment_return, name="return"),
    path("<str:gateway>/ipn/", views.ipn, name="ipn"),
]
