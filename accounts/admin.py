from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import ngettext

from . import otp
from .models import User

# django-otp registers its device admin on the site: anyone allowed there could pair a device for another
# account and log in as it. Devices are paired only by their owner (accounts.otp) and reset by the operator.
try:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin.site.unregister(TOTPDevice)
except admin.sites.NotRegistered:  # pragma: no cover - the plugin's admin was not loaded
    pass

# What only a superuser may change on an account: the operator manages staff roles, not rights beyond them.
SUPERUSER_FIELDS = ("is_superuser", "user_permissions")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "account_type", "is_active", "is_staff")
    list_filter = ("account_type", "is_active", "is_staff", "is_superuser", "groups")
    search_fields = ("email", "full_name", "identity_number", "phone")
    readonly_fields = ("email_confirmed_at", "pending_email", "last_login", "date_joined")
    actions = ["second_factor_reset"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Thông tin", {"fields": ("account_type", "full_name", "identity_number", "phone", "date_of_birth", "gender",
                                  "representative")}),
        ("Địa chỉ", {"fields": ("province_code", "commune_code", "street_address")}),
        ("Xác nhận e-mail", {"fields": ("email_confirmed_at", "pending_email")}),
        ("Quyền", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Thời gian", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "account_type", "password1", "password2")}),)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [f for f in SUPERUSER_FIELDS if f not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        # The operator manages accounts up to its own level: a superuser's account (its password, its roles)
        # is changed by a superuser only, or the operator could take it over.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and getattr(response, "status_code", 0) == 200:
            from audit.services import access_record

            access_record(request=request, kind="user", ref=str(object_id))
        return response

    @admin.action(description="Đặt lại xác thực hai lớp (cán bộ mất điện thoại)", permissions=["change"])
    def second_factor_reset(self, request, queryset):
        from audit.services import access_record

        done = 0
        for user in queryset:
            if not self.has_change_permission(request, user):
                self.message_user(request, f"{user.email}: chỉ quản trị hệ thống đặt lại được.", messages.ERROR)
                continue
            removed = otp.otp_reset(user=user, actor=request.user)
            # Recorded twice on purpose: in the admin's history of the account, and in the access audit.
            self.log_change(request, user, f"Đặt lại xác thực hai lớp ({removed} thiết bị đã gỡ).")
            access_record(request=request, kind="otp_reset", ref=str(user.pk))
            done += 1
        self.message_user(
            request,
            ngettext("Đã đặt lại xác thực hai lớp cho %d tài khoản.", "Đã đặt lại xác thực hai lớp cho %d tài khoản.",
                     done) % done,
            messages.SUCCESS,
        )
