"""Payments and callbacks for staff: read-only, scoped to their agencies; refunds through the gateway."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import ngettext

from dossiers.selectors import dossier_agency_queryset

from . import services
from .constants import PaymentStatus
from .gateways.registry import gateway_choices
from .models import GatewayCallback, Payment, Refund


class GatewayFilter(admin.SimpleListFilter):
    title = "cổng thanh toán"
    parameter_name = "gateway"

    def lookups(self, request, model_admin):
        return gateway_choices()

    def queryset(self, request, queryset):
        return queryset.filter(gateway=self.value()) if self.value() else queryset


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    fields = ["created_at", "amount", "reason", "requested_by", "accepted", "gateway_code", "gateway_message"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "dossier", "gateway", "amount", "status", "created_at", "paid_at"]
    list_filter = [GatewayFilter, "status", "created_at", "paid_at"]
    search_fields = ["reference", "dossier__code", "gateway_transaction_id"]
    date_hierarchy = "created_at"
    list_select_related = ["dossier"]
    inlines = [RefundInline]
    actions = ["refund"]
    readonly_fields = ["dossier", "gateway", "reference", "amount", "status", "bank_code", "created_at", "expires_at",
                       "paid_at", "finished_at", "gateway_transaction_id", "result_code", "result_message",
                       "receipt_number", "raw_outcome"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(dossier__in=dossier_agency_queryset(user=request.user))

    @admin.action(description="Hoàn tiền (qua cổng thanh toán)")
    def refund(self, request, queryset):
        done = 0
        for payment in queryset.filter(status=PaymentStatus.PAID):
            try:
                refund = services.payment_refund(payment=payment, reason="Hoàn phí, lệ phí theo yêu cầu của cơ quan",
                                                 user=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{payment.reference}: {exc.messages[0]}", messages.ERROR)
                continue
            if refund.accepted:
                done += 1
            else:
                self.message_user(request, f"{payment.reference}: cổng từ chối ({refund.gateway_code} "
                                           f"{refund.gateway_message})", messages.ERROR)
        if done:
            self.message_user(request, ngettext("Đã hoàn tiền %d giao dịch.", "Đã hoàn tiền %d giao dịch.", done) % done,
                              messages.SUCCESS)

    def get_actions(self, request):
        # The refund action is the one write staff may make here: the accountant's (accounts.roles).
        actions = super().get_actions(request)
        if not request.user.has_perm("payments.add_refund"):
            actions.pop("refund", None)
        return actions


@admin.register(GatewayCallback)
class GatewayCallbackAdmin(ReadOnlyAdmin):
    list_display = ["id", "gateway", "kind", "received_at", "signature_ok", "outcome", "payment", "client_address"]
    list_filter = [GatewayFilter, "kind", "outcome", "signature_ok", "received_at"]
    search_fields = ["payment__reference", "payment__dossier__code", "query", "body"]
    date_hierarchy = "received_at"
    list_select_related = ["payment"]
    readonly_fields = ["gateway", "kind", "method", "headers", "query", "body", "client_address", "received_at",
                       "signature_ok", "outcome", "payment"]

    def get_queryset(self, request):
        scope = Q(payment__dossier__in=dossier_agency_queryset(user=request.user))
        if request.user.is_superuser:
            # Callbacks matching no payment (forged, unknown orders) belong to no agency.
            scope |= Q(payment__isnull=True)
        return super().get_queryset(request).filter(scope)
