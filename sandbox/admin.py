from django.contrib import admin

from .models import SandboxIpnDelivery, SandboxRefund, SandboxTransaction


class DeliveryInline(admin.TabularInline):
    model = SandboxIpnDelivery
    extra = 0
    can_delete = False
    readonly_fields = ["copy", "attempt", "method", "sent_at", "status_code", "acknowledged", "response_body", "error"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SandboxTransaction)
class SandboxTransactionAdmin(admin.ModelAdmin):
    list_display = ["reference", "gateway", "amount", "status", "response_code", "ipn_mode", "created_at"]
    list_filter = ["gateway", "status"]
    search_fields = ["reference"]
    readonly_fields = [field.name for field in SandboxTransaction._meta.fields]
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False


@admin.register(SandboxRefund)
class SandboxRefundAdmin(admin.ModelAdmin):
    list_display = ["transaction", "amount", "request_id", "created_at"]
    readonly_fields = ["transaction", "request_id", "order_id", "amount", "created_by", "created_at"]
