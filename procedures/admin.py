"""Catalogue admin: agencies, fields, procedures with their components and fees, CSV/XLSX import and export."""

import zipfile

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX

from accounts.admin import UserAdmin
from accounts.models import User
from common.collation import vi_order

from .constants import AgencyKind, ImplementationLevel
from .imports import ImportOutcome, procedures_import, records_from_file
from .models import (
    Agency,
    AgencyStaff,
    FeeItem,
    Field,
    Procedure,
    ProcedureChannel,
    ReceivingRule,
    RequiredComponent,
    SearchSynonym,
)
from .services import (
    catalogue_changed,
    catalogue_rows_saved,
    procedure_components_corrected,
    procedure_components_mark_reviewed,
)
from .receiving import receiving_map_apply
from .resources import (
    AgencyResource,
    FeeItemResource,
    FieldResource,
    ProcedureResource,
    RequiredComponentResource,
)


class CatalogueWriteAdmin(admin.ModelAdmin):
    """The admin's writes to the catalogue: each save (with its inlines and many-to-many fields, or a row of the
    list's editable columns) and each delete ends with procedures.services, which emits catalogue.changed."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        catalogue_rows_saved(model=self.model, pks=[form.instance.pk])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        catalogue_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        catalogue_changed()


class CatalogueAdmin(CatalogueWriteAdmin, ImportExportModelAdmin):
    """Catalogue models move between provinces as CSV or Excel files."""

    formats = [CSV, XLSX]

    # django-import-export checks no model permission unless told to: importing writes rows, so it
    # needs the add and change rights; exporting the (public) catalogue needs the right to view it.
    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)


class AgencyStaffInline(admin.TabularInline):
    model = AgencyStaff
    extra = 1
    autocomplete_fields = ("user", "agency")


@admin.register(Agency)
class AgencyAdmin(CatalogueAdmin):
    resource_classes = [AgencyResource]
    list_display = ("code", "name", "level", "kind", "commune", "phone", "bank_account_number")
    ordering = ("level", vi_order("name").asc())
    list_filter = ("level", "kind")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    inlines = [AgencyStaffInline]
    readonly_fields = ("commune",)
    fieldsets = (
        (None, {"fields": ("code", "name", "level", "kind", ("commune_code", "commune"), "parent", "address",
                           "phone")}),
        (_("Tài khoản nhận phí, lệ phí"), {"fields": ("bank_account_name", "bank_account_number", "bank_name")}),
    )


    @admin.display(description=_("Xã, phường phục vụ"), ordering="commune_code")
    def commune(self, agency):
        return agency.commune_name or "—"


@admin.register(Field)
class FieldAdmin(CatalogueAdmin):
    resource_classes = [FieldResource]
    list_display = ("code", "name")
    ordering = (vi_order("name").asc(),)
    search_fields = ("code", "name")


class RequiredComponentInline(admin.StackedInline):
    model = RequiredComponent
    extra = 0
    fields = (
        ("position", "name"),
        ("role", "is_required", "asks_number"),
        ("case", "channel"),
        "condition",
        "description",
        ("quantity", "document_form"),
        ("accepted_types", "max_size_mb"),
        "blank_form",
    )


class FeeItemInline(admin.TabularInline):
    model = FeeItem
    extra = 0


class ProcedureChannelInline(admin.TabularInline):
    model = ProcedureChannel
    extra = 0
    fields = ("position", "channel", "time_value", "time_unit", "fee_amount", "fee_text", "description")


class ProcedureAdminForm(forms.ModelForm):
    """The levels are stored as ",tinh,xa,"; the operator ticks them."""

    levels = forms.MultipleChoiceField(
        label=_("Cấp thực hiện"), required=False, choices=ImplementationLevel.choices, widget=forms.CheckboxSelectMultiple
    )
    source_url = forms.URLField(label=_("Trang gốc (CSDL quốc gia)"), required=False, max_length=300, assume_scheme="https")

    class Meta:
        model = Procedure
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["levels"] = [key for key in self.instance.levels.split(",") if key]

    def clean_levels(self):
        probe = Procedure()
        probe.set_levels(self.cleaned_data["levels"])
        return probe.levels


class NationalImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp"), help_text=_("Danh sách (.xlsx) hoặc bản ghi chi tiết (.jsonl, .jsonl.gz) của CSDL quốc gia về TTHC.")
    )
    MAX_BYTES = 50 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 50 MB."))
        if not upload.name.lower().endswith((".xlsx", ".jsonl", ".jsonl.gz", ".json", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx, .jsonl, .jsonl.gz hoặc .csv."))
        return upload


class ComponentsNeedReviewFilter(admin.SimpleListFilter):
    """The procedures whose components the importer was unsure about (procedures.national_components)."""

    title = _("Thành phần cần rà soát")
    parameter_name = "ra_soat_thanh_phan"

    def lookups(self, request, model_admin):
        return [("1", _("Cần rà soát")), ("0", _("Đã ổn"))]

    def queryset(self, request, queryset):
        if self.value() in {"0", "1"}:
            return queryset.filter(components_need_review=self.value() == "1")
        return queryset


@admin.register(Procedure)
class ProcedureAdmin(CatalogueAdmin):
    resource_classes = [ProcedureResource]
    list_display = ("code", "name", "field", "online_level", "is_active", "is_frequent", "components_review")
    ordering = (vi_order("name").asc(),)
    list_filter = (ComponentsNeedReviewFilter, "field", "agencies", "online_level", "is_active", "is_frequent")
    actions = ["mark_components_reviewed"]
    list_select_related = ("field",)
    search_fields = ("code", "name")
    filter_horizontal = ("agencies",)
    form = ProcedureAdminForm
    inlines = [ProcedureChannelInline, RequiredComponentInline, FeeItemInline]
    readonly_fields = ("national_code", "popularity", "components_review_reasons", "components_reviewed_at")
    # name_folded and search_text are not editable: the admin never shows them.
    fieldsets = (
        (None, {"fields": ("code", "national_code", "name", "field", "agencies", "implementing_text")}),
        (_("CSDL quốc gia"), {"fields": ("decision_number", "procedure_type", "levels", "target_groups",
                                      "competent_text", "receiving_address", "source_url")}),
        (_("Thực hiện"), {"fields": ("online_level", "processing_days", "pay_before_processing",
                                   "national_login_loa", "is_active", "is_frequent", "popularity")}),
        (_("Nội dung"), {"fields": ("conditions", "steps", "result", "result_documents", "legal_basis",
                                 "legal_documents")}),
        (_("Rà soát thành phần hồ sơ"), {"fields": ("components_need_review", "components_review_reasons",
                                                   "components_reviewed_at")}),
    )

    @admin.display(description=_("Rà soát thành phần"), ordering="components_need_review")
    def components_review(self, procedure):
        """The importer's first doubt in the list, every doubt on hover (the change page shows them all)."""
        if not procedure.components_need_review:
            return ""
        reasons = [line for line in procedure.components_review_reasons.splitlines() if line] or [_("Cần rà soát")]
        more = f" (+{len(reasons) - 1})" if len(reasons) > 1 else ""
        return format_html("<span title=\"{}\">⚠ {}{}</span>", "\n".join(reasons), reasons[0][:90], more)

    @admin.action(description=_("Đánh dấu đã rà soát thành phần"), permissions=["change"])
    def mark_components_reviewed(self, request, queryset):
        count = procedure_components_mark_reviewed(procedure_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, _("Đã đánh dấu %(count)d thủ tục đã rà soát thành phần hồ sơ.") % {"count": count},
                          messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "components_need_review" in form.changed_data and not obj.components_need_review:
            procedure_components_mark_reviewed(procedure_ids=[obj.pk])  # unticked by hand: the same as the action

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is RequiredComponent and change and formset.has_changed():
            procedure_components_corrected(procedure_id=form.instance.pk)

    def get_urls(self):
        urls = [path("nhap-csdl-quoc-gia/", self.admin_site.admin_view(self.national_import_view),
                     name="procedures_procedure_national_import")]
        return urls + super().get_urls()

    def national_import_view(self, request):
        """Import the national database's list export or detail records, and show the per-row report."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        report = None
        form = NationalImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = procedures_import(records=records_from_file(upload.name, upload.read()))
            except ValueError as exc:
                form.add_error("file", str(exc))
            except (OSError, EOFError, zipfile.BadZipFile, KeyError):
                form.add_error("file", _("Không đọc được tệp: tệp hỏng hoặc không đúng định dạng."))
            else:
                level = messages.WARNING if report.count(ImportOutcome.REFUSED) else messages.SUCCESS
                self.message_user(request, f"Đã nhập: {report.summary}.", level)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "report": report, "title": _("Nhập thủ tục từ CSDL quốc gia")}
        return TemplateResponse(request, "admin/procedures/procedure/national_import.html", context)


@admin.register(RequiredComponent)
class RequiredComponentAdmin(CatalogueAdmin):
    resource_classes = [RequiredComponentResource]
    list_display = ("name", "procedure", "role", "is_required", "condition", "case", "channel", "accepted_types")
    list_filter = ("role", "is_required", "channel", "asks_number", "document_form")
    list_select_related = ("procedure",)
    search_fields = ("name", "procedure__code", "procedure__name")
    autocomplete_fields = ("procedure",)


@admin.register(FeeItem)
class FeeItemAdmin(CatalogueAdmin):
    resource_classes = [FeeItemResource]
    list_display = ("name", "procedure", "kind", "amount")
    list_filter = ("kind",)
    list_select_related = ("procedure",)
    search_fields = ("name", "procedure__code", "procedure__name")
    autocomplete_fields = ("procedure",)


@admin.register(SearchSynonym)
class SearchSynonymAdmin(CatalogueWriteAdmin):
    list_display = ("phrase", "expansion", "is_active")
    list_editable = ("expansion", "is_active")
    list_filter = ("is_active",)
    search_fields = ("phrase", "expansion")


class ReceivingRuleForm(forms.ModelForm):
    """The kinds of "each commune's agency" are stored as ",ubnd,cong_an,"; the operator ticks them."""

    commune_kinds = forms.MultipleChoiceField(
        label=_("Cơ quan của từng xã, phường"), required=False, choices=AgencyKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ví dụ: Ủy ban nhân dân — thủ tục cấp xã do UBND xã, phường nơi người dân chọn tiếp nhận."),
    )

    class Meta:
        model = ReceivingRule
        fields = ("level", "field", "commune_kinds", "agencies")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["commune_kinds"] = self.instance.commune_kind_list

    def clean_commune_kinds(self):
        probe = ReceivingRule()
        probe.set_commune_kinds(self.cleaned_data["commune_kinds"])
        return probe.commune_kinds


@admin.register(ReceivingRule)
class ReceivingRuleAdmin(admin.ModelAdmin):
    """The province's map: level × field → the agencies that receive the procedures (procedures.receiving)."""

    form = ReceivingRuleForm
    list_display = ("level", "field_label", "kinds_label", "agencies_label")
    list_filter = ("level",)
    list_select_related = ("field",)
    search_fields = ("field__name", "agencies__name")
    autocomplete_fields = ("field", "agencies")
    actions = ["apply_map"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("agencies")

    @admin.display(description=_("Lĩnh vực"), ordering="field__name")
    def field_label(self, rule):
        return rule.field.name if rule.field_id else _("(mọi lĩnh vực)")

    @admin.display(description=_("Cơ quan của từng xã, phường"))
    def kinds_label(self, rule):
        return ", ".join(str(AgencyKind(kind).label) for kind in rule.commune_kind_list) or "—"

    @admin.display(description=_("Cơ quan tiếp nhận"))
    def agencies_label(self, rule):
        return "; ".join(a.name for a in rule.agencies.all()) or "—"

    def response_post_save_change(self, request, obj):
        self.message_user(request, _("Bản đồ đã lưu. Chọn “Áp dụng bản đồ cho toàn bộ danh mục” để các thủ tục "
                                     "nhận cơ quan theo bản đồ mới."), messages.INFO)
        return super().response_post_save_change(request, obj)

    response_post_save_add = response_post_save_change

    def get_urls(self):
        urls = [path("ap-dung/", self.admin_site.admin_view(self.apply_view), name="procedures_receivingrule_apply")]
        return urls + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_apply": self.has_change_permission(request)}
        return super().changelist_view(request, extra_context=extra_context)

    def apply_view(self, request):
        """The changelist's button: apply the map without choosing rows first."""
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        self.apply_map(request, self.get_queryset(request))
        return redirect("admin:procedures_receivingrule_changelist")

    @admin.action(description=_("Áp dụng bản đồ cho toàn bộ danh mục thủ tục"), permissions=["change"])
    def apply_map(self, request, queryset):
        report = receiving_map_apply()
        self.message_user(request, _(
            "Đã áp dụng bản đồ cho %(total)s thủ tục: %(changed)s thủ tục thay đổi, thêm %(added)s và bỏ %(removed)s "
            "liên kết cơ quan; %(without)s thủ tục chưa có cơ quan tiếp nhận."
        ) % {"total": report.procedures, "changed": report.changed, "added": report.added, "removed": report.removed,
             "without": report.without_agency}, messages.SUCCESS)


# The staff roles are edited on the account page too. accounts must not import procedures,
# so the catalogue replaces the registered user admin with one that carries the inline.
class StaffUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, AgencyStaffInline]


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
