from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from common.collation import vi_order

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = (vi_order("full_name").asc(), "email")
    list_display = ("email", "full_name", "account_type", "identity_number", "is_active", "is_staff")
    list_filter = ("account_type", "is_active", "is_staff", "is_superuser")
    search_fields = ("email", "full_name", "identity_number", "phone")
    readonly_fields = ("email_confirmed_at", "pending_email", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Thông tin"), {"fields": ("account_type", "full_name", "identity_number", "phone", "date_of_birth", "gender",
                                  "representative")}),
        (_("Địa chỉ"), {"fields": ("province_code", "commune_code", "street_address")}),
        (_("Xác nhận e-mail"), {"fields": ("email_confirmed_at", "pending_email")}),
        (_("Quyền"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "account_type", "password1", "password2")}),)
