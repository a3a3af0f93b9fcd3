"""Catalogue admin: agencies, fields, procedures with their components and fees, CSV/XLSX import and export."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX

from accounts.admin import UserAdmin
from accounts.models import User
from common.collation import vi_order

from .models import Agency, AgencyStaff, FeeItem, Field, Procedure, RequiredComponent
from .resources import (
    AgencyResource,
    FeeItemResource,
    FieldResource,
    ProcedureResource,
    RequiredComponentResource,
)


class CatalogueAdmin(ImportExportModelAdmin):
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
    list_display = ("code", "name", "level", "phone", "bank_account_number")
    ordering = ("level", vi_order("name").asc())
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    inlines = [AgencyStaffInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "level", "parent", "address", "phone")}),
        (_("Tài khoản nhận phí, lệ phí"), {"fields": ("bank_account_name", "bank_account_number", "bank_name")}),
    )


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
        "description",
        ("is_required", "document_form"),
        ("accepted_types", "max_size_mb"),
        "blank_form",
    )


class FeeItemInline(admin.TabularInline):
    model = FeeItem
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(CatalogueAdmin):
    resource_classes = [ProcedureResource]
    list_display = ("code", "name", "field", "online_level", "is_active", "is_frequent")
    ordering = (vi_order("name").asc(),)
    list_filter = ("field", "agencies", "online_level", "is_active", "is_frequent")
    list_select_related = ("field",)
    search_fields = ("code", "name")
    filter_horizontal = ("agencies",)
    inlines = [RequiredComponentInline, FeeItemInline]
    # name_folded and search_text are not editable: the admin never shows them.
    fieldsets = (
        (None, {"fields": ("code", "name", "field", "agencies")}),
        (_("Thực hiện"), {"fields": ("online_level", "processing_days", "pay_before_processing", "is_active",
                                   "is_frequent")}),
        (_("Nội dung"), {"fields": ("conditions", "steps", "result", "legal_basis")}),
    )


@admin.register(RequiredComponent)
class RequiredComponentAdmin(CatalogueAdmin):
    resource_classes = [RequiredComponentResource]
    list_display = ("name", "procedure", "is_required", "document_form", "accepted_types", "max_size_mb")
    list_filter = ("is_required", "document_form")
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


# The staff roles are edited on the account page too. accounts must not import procedures,
# so the catalogue replaces the registered user admin with one that carries the inline.
class StaffUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, AgencyStaffInline]


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
