"""Payments and callbacks for staff: read-only, scoped to their agencies; refunds through the gateway."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdmin
from common.formats import vnd_plain
from dossiers.selectors import dossier_agency_queryset

from . import services
from .constants import REFUNDABLE
from .gateways.registry import gateway_choices
from .models import GatewayCallback, Payment, PaymentEvent, ReceiptSeries, Refund


class GatewayFilter(admin.SimpleListFilter):
    title = _("cổng thanh toán")
    parameter_name = "gateway"

    def lookups(self, request, model_admin):
        return gateway_choices()

    def queryset(self, request, queryset):
        return queryset.filter(gateway=self.value()) if self.value() else queryset


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    fields = ["created_at", "amount", "reason", "requested_by", "status", "gateway_code", "gateway_message",
              "gateway_transaction_id"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class PaymentEventInline(admin.TabularInline):
    """The payment's moves, for whoever may view them (accounts.roles: the accountant)."""

    model = PaymentEvent
    extra = 0
    can_delete = False
    verbose_name_plural = _("Lịch sử giao dịch")
    fields = ["created_at", "source", "from_status", "to_status", "actor", "callback"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "callback")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "dossier", "gateway", "amount", "status", "created_at", "paid_at"]
    list_filter = [GatewayFilter, "status", "created_at", "paid_at"]
    search_fields = ["reference", "dossier__code", "gateway_transaction_id"]
    date_hierarchy = "created_at"
    list_select_related = ["dossier"]
    inlines = [PaymentEventInline, RefundInline]
    readonly_fields = ["dossier", "gateway", "reference", "amount", "status", "bank_code", "created_at", "expires_at",
                       "paid_at", "finished_at", "gateway_transaction_id", "result_code", "result_message",
                       "receipt_series", "receipt_number", "refunded_amount", "raw_outcome"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(dossier__in=dossier_agency_queryset(user=request.user))

    def get_urls(self):
        return [
            path("<int:pk>/refund/", self.admin_site.admin_view(self.refund_view), name="payments_payment_refund"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        payment = self.get_queryset(request).filter(pk=object_id).first()
        extra_context = {**(extra_context or {}), "can_refund": bool(
            payment and payment.status in REFUNDABLE and request.user.has_perm("payments.add_refund"))}
        return super().change_view(request, object_id, form_url, extra_context)

    def refund_view(self, request, pk):
        """One refund of one payment: amount and reason, then a confirmation page, then the gateway."""
        if not request.user.has_perm("payments.add_refund"):
            raise PermissionDenied
        payment = self.get_queryset(request).select_related("dossier", "receipt_series").filter(pk=pk).first()
        if payment is None:
            raise Http404
        remaining = payment.amount - payment.refunded_amount
        form = RefundForm(request.POST or None, initial={"amount": remaining}, remaining=remaining)
        confirming = False
        if request.method == "POST" and form.is_valid():
            if request.POST.get("confirm") == "1":
                try:
                    refund = services.payment_refund(payment=payment, amount=form.cleaned_data["amount"],
                                                     reason=form.cleaned_data["reason"], user=request.user)
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    if refund.accepted:
                        self.message_user(request, _("Đã hoàn %(amount)s cho giao dịch %(reference)s; người nộp đã được "
                                                     "báo qua e-mail.") % {"amount": vnd(refund.amount),
                                                                          "reference": payment.reference},
                                          messages.SUCCESS)
                    else:
                        self.message_user(request, (_("Cổng thanh toán từ chối hoàn tiền giao dịch %(reference)s: %(code)s "
                                                      "%(message)s") % {"reference": payment.reference,
                                                                        "code": refund.gateway_code,
                                                                        "message": refund.gateway_message}).strip(),
                                          messages.ERROR)
                    return HttpResponseRedirect(reverse("admin:payments_payment_change", args=[payment.pk]))
            else:
                confirming = True
        context = {
            **self.admin_site.each_context(request),
            "title": _("Hoàn tiền giao dịch %(reference)s") % {"reference": payment.reference},
            "opts": self.model._meta,
            "payment": payment,
            "remaining": remaining,
            "form": form,
            "confirming": confirming,
            "refunds": payment.refunds.order_by("created_at"),
        }
        return TemplateResponse(request, "admin/payments/payment/refund.html", context)


def vnd(amount: int) -> str:
    return _("%(amount)s đồng") % {"amount": vnd_plain(amount)}


class RefundForm(forms.Form):
    amount = forms.IntegerField(label=_("Số tiền hoàn (đồng)"), min_value=1)
    reason = forms.CharField(label=_("Lý do hoàn tiền"), max_length=255, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Vui lòng nhập lý do hoàn tiền.")})

    def __init__(self, *args, remaining: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.remaining = remaining
        self.fields["amount"].max_value = remaining
        self.fields["amount"].help_text = _("Còn có thể hoàn tối đa %(amount)s.") % {"amount": vnd(remaining)}

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount > self.remaining:
            raise forms.ValidationError(_("Số tiền hoàn không được vượt quá %(max)s."), params={"max": vnd(self.remaining)})
        return amount

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Vui lòng nhập lý do hoàn tiền."))
        return reason


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


@admin.register(ReceiptSeries)
class ReceiptSeriesAdmin(admin.ModelAdmin):
    """Each agency's registered form number and symbol per year; the numbers themselves are only taken by payments."""

    list_display = ["agency", "year", "form_number", "symbol", "last_number"]
    list_filter = ["year"]
    search_fields = ["agency__name", "symbol"]
    readonly_fields = ["last_number"]
    autocomplete_fields = ["agency"]

    def get_readonly_fields(self, request, obj=None):
        # Once a number is out, the series' identity is printed on receipts and must not change.
        if obj is not None and obj.last_number:
            return ["agency", "year", "form_number", "symbol", "last_number"]
        return self.readonly_fields
