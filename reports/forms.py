from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.collation import vi_order
from procedures.models import Agency

YEARS_BACK = 6


class StatisticsFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False, empty_value=None)
    month = forms.TypedChoiceField(
        label=_("Tháng"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("Cả năm")), *[(m, format_lazy(_("Tháng {month}"), month=m)) for m in range(1, 13)]],
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.order_by(vi_order("name")),
        required=False,
        empty_label=_("Tất cả cơ quan"),
        to_field_name="code",
        error_messages={"invalid_choice": _("Không có cơ quan này.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - YEARS_BACK, -1)]
        self.fields["year"].error_messages["invalid_choice"] = _("Chọn một năm trong danh sách.")
        self.fields["month"].error_messages["invalid_choice"] = _("Chọn tháng từ 1 đến 12.")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        """The valid filters; a bad value falls back to its default (this year, all months, all agencies)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        filters = {
            "year": data.get("year") or timezone.localdate().year,
            "month": data.get("month"),
            "agency": data.get("agency"),
        }
        return self.show(filters)

    def show(self, filters: dict) -> dict:
        """Have the selects show the period and agency the figures are of. Left alone, a select shows its first
        option where the request named no value or a bad one: "Tháng 1" over this month's figures."""
        shown = {"year": filters["year"], "month": filters["month"] or "",
                 "agency": filters["agency"].code if filters["agency"] is not None else ""}
        if self.is_bound:
            self.data = shown  # the errors found in the request stay (full_clean ran above)
        else:
            self.initial.update(shown)
        return filters


class ServiceIndexFilterForm(StatisticsFilterForm):
    """The index is per month: the month is always one (this month by default)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m, format_lazy(_("Tháng {month}"), month=m)) for m in range(1, 13)]

    def filters(self) -> dict:
        filters = super().filters()
        filters["month"] = filters["month"] or timezone.localdate().month
        return self.show(filters)
