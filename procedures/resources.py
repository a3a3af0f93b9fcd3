"""Spreadsheet (CSV, XLSX) import and export of the catalogue, keyed on codes so a re-import updates.

Column names are stable identifiers (`code`, `field_code`, `agency_codes`, ...) rather than labels, so a
province can move its whole catalogue with spreadsheets: agencies and fields first, then procedures,
then their components and fees (keyed on procedure code + name).
"""

from django.core.exceptions import ValidationError
from django.db.models import F
from import_export import fields, resources, widgets

from .models import Agency, FeeItem, Field, Procedure, RequiredComponent
from .services import catalogue_rows_saved

AGENCY_SEPARATOR = ";"


class CodeWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related row's code; an unknown code is a row error in Vietnamese."""

    def __init__(self, model, *, label: str):
        super().__init__(model, field="code")
        self.label = label

    def clean(self, value, row=None, **kwargs):
        value = str(value).strip() if value is not None else ""
        if not value:
            return None
        try:
            return self.get_queryset(value, row, **kwargs).get(code=value)
        except self.model.DoesNotExist:
            raise ValueError(f"Không tìm thấy {self.label} có mã “{value}”.") from None


class CodeListWidget(widgets.ManyToManyWidget):
    """Several related rows written as codes separated by ";"; every code must exist."""

    def __init__(self, model, *, label: str):
        super().__init__(model, separator=AGENCY_SEPARATOR, field="code")
        self.label = label

    def clean(self, value, row=None, **kwargs):
        codes = [c.strip() for c in str(value or "").split(self.separator) if c.strip()]
        found = self.model.objects.filter(code__in=codes)
        missing = sorted(set(codes) - {obj.code for obj in found})
        if missing:
            raise ValueError(f"Không tìm thấy {self.label} có mã: {', '.join(missing)}.")
        return found

    def render(self, value, obj=None, **kwargs):
        return self.separator.join(sorted(o.code for o in value.all())) if value is not None else ""


class CatalogueResource(resources.ModelResource):
    """Shared behaviour: validate with the model's own rules; any bad row rolls the whole file back."""

    # An empty spreadsheet cell is None: long texts (result, steps...) must read it as "" like short ones.
    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, "TextField": widgets.CharWidget}

    def import_data(self, dataset, **kwargs):
        kwargs.setdefault("rollback_on_validation_errors", True)  # the admin's confirm step does the same
        return super().import_data(dataset, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        """Rows written (not a dry run, no error): their procedures' search columns follow, the catalogue changes."""
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and not result.has_errors() and not result.has_validation_errors():
            catalogue_rows_saved(model=self._meta.model, pks=[row.object_id for row in result.rows if row.object_id])

    def get_or_init_instance(self, instance_loader, row):
        # The key of a component or fee includes the procedure code: an unknown one is a row error.
        try:
            return super().get_or_init_instance(instance_loader, row)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    class Meta:  # inherited by the subclasses' Meta
        skip_unchanged = True
        report_skipped = False
        clean_model_instances = True
        use_transactions = True


class AgencyResource(CatalogueResource):
    parent = fields.Field(attribute="parent", column_name="parent_code", widget=CodeWidget(Agency, label="cơ quan"))

    class Meta:
        model = Agency
        import_id_fields = ("code",)
        fields = export_order = (
            "code", "name", "level", "parent", "address", "phone", "bank_account_name", "bank_account_number",
            "bank_name", "kind", "commune_code",
        )

    def get_queryset(self):
        # Parents before their children, so the exported file imports in one pass.
        return Agency.objects.order_by(F("parent").asc(nulls_first=True), "code")


class FieldResource(CatalogueResource):
    class Meta:
        model = Field
        import_id_fields = ("code",)
        fields = export_order = ("code", "name")

    def get_queryset(self):
        return Field.objects.order_by("code")


class ProcedureResource(CatalogueResource):
    field = fields.Field(attribute="field", column_name="field_code", widget=CodeWidget(Field, label="lĩnh vực"))
    agencies = fields.Field(
        attribute="agencies", column_name="agency_codes", widget=CodeListWidget(Agency, label="cơ quan")
    )

    class Meta:
        model = Procedure
        import_id_fields = ("code",)
        fields = export_order = (
            "code", "name", "field", "agencies", "online_level", "processing_days", "result", "legal_basis",
            "conditions", "steps", "pay_before_processing", "is_active", "is_frequent",
        )

    def get_queryset(self):
        return Procedure.objects.select_related("field").prefetch_related("agencies").order_by("code")

    def import_instance(self, instance, row, **kwargs):
        # Many-to-many columns are only read after the row is saved; check the agency codes up front
        # so that an unknown one is reported with the row rather than as a server error.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        agencies = self.fields["agencies"]
        if agencies.column_name in row:
            try:
                agencies.clean(row, **kwargs)
            except ValueError as exc:
                errors["agencies"] = [str(exc)]
        if errors:
            raise ValidationError(errors)


class ProcedurePartResource(CatalogueResource):
    """A row that belongs to a procedure (component, fee): keyed on the procedure code and its name."""

    procedure = fields.Field(
        attribute="procedure", column_name="procedure_code", widget=CodeWidget(Procedure, label="thủ tục")
    )

    def get_queryset(self):
        return self._meta.model.objects.select_related("procedure").order_by("procedure__code", "id")


class RequiredComponentResource(ProcedurePartResource):
    class Meta:
        model = RequiredComponent
        import_id_fields = ("procedure", "name")
        fields = export_order = (
            "procedure", "position", "name", "description", "is_required", "document_form", "accepted_types",
            "max_size_mb",
        )


class FeeItemResource(ProcedurePartResource):
    class Meta:
        model = FeeItem
        import_id_fields = ("procedure", "name")
        fields = export_order = ("procedure", "kind", "name", "amount", "note")


CATALOGUE_RESOURCES = [AgencyResource, FieldResource, ProcedureResource, RequiredComponentResource, FeeItemResource]
