from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AgencySigner
from .trust import trust_root_files


@admin.register(AgencySigner)
class AgencySignerAdmin(admin.ModelAdmin):
    """The operator's per-agency signing configuration: where the key is, never the key."""

    list_display = ["agency", "kind", "active", "updated_at"]
    list_filter = ["kind", "active"]
    search_fields = ["agency__name", "agency__code"]
    autocomplete_fields = ["agency"]
    fieldsets = [
        (None, {"fields": ["agency", "kind", "active", "location"]}),
        (_("Tệp khóa"), {"fields": ["key_path", "cert_path", "chain_path", "secret_env"]}),
        (_("Thiết bị PKCS#11"), {"fields": ["pkcs11_module", "pkcs11_token", "pkcs11_key_label", "pkcs11_cert_label"]}),
        (_("Ký số từ xa"), {"fields": ["remote_service"]}),
    ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "subtitle": _("Chứng thư gốc tin cậy: %(n)s tệp") % {
            "n": len(trust_root_files())}}
        return super().changelist_view(request, extra_context)
