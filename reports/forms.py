from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.collation import vi_order
from procedures.models import Agency

YEARS_BACK = 6
# The months as the selects name them: "Tháng 3" in Vietnamese, "March" in English.
MONTH_NAMES = (
    pgettext_lazy("month name", "Tháng 1"),
    pgettext_lazy("month name", "Tháng 2"),
    pgettext_lazy("month name", "Tháng 3"),
    pgettext_lazy("month name", "Tháng 4"),
    pgettext_lazy("month name", "Tháng 5"),
    pgettext_lazy("month name", "Tháng 6"),
    pgettext_lazy("month name", "Tháng 7"),
    pgettext_lazy("month name", "Tháng 8"),
    pgettext_lazy("month name", "Tháng 9"),
    pgettext_lazy("month name", "Tháng 10"),
    pgettext_lazy("month name", "Tháng 11"),
    pgettext_lazy("month name", "Tháng 12"),
)


class FilterSelect(forms.Select):
    """A select drawn in Python. Django's widget templates render each option through two templates of its
    own: the years, months and agencies of the filter cost more than the page's figures at a million dossiers
    (bench/statistics_compute.py)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = format_html_join(
            "", "<option value=\"{}\"{}>{}</option>",
            ((v, mark_safe(" selected") if str(v) in chosen else "", label) for v, label in self.choices),
        )
        return format_html("<select name=\"{}\"{}>{}</select>", name, flatatt(self.build_attrs(self.attrs, attrs)), options)


class StatisticsFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False, empty_value=None, widget=FilterSelect)
    month = forms.TypedChoiceField(
        label=_("Tháng"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=FilterSelect,
        choices=[("", _("Cả năm")), *enumerate(MONTH_NAMES, start=1)],
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.order_by(vi_order("name")),
        required=False,
        empty_label=_("Tất cả cơ quan"),
        to_field_name="code",
        widget=FilterSelect,
        error_messages={"invalid_choice": _("Không có cơ quan này.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - YEARS_BACK, -1)]
        self.fields["year"].error_messages["invalid_choice"] = _("Chọn một năm trong danh sách.")
        self.fields["month"].error_messages["invalid_choice"] = _("Chọn tháng từ 1 đến 12.")
        # The agencies read once, by a plain query (a ModelChoiceField iterates a server-side cursor each time).
        agency = self.fields["agency"]
        agency.widget.choices = [("", agency.empty_label), *agency.queryset.values_list("code", "name")]
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
        self.fields["month"].choices = list(enumerate(MONTH_NAMES, start=1))

    def filters(self) -> dict:
        filters = super().filters()
        filters["month"] = filters["month"] or timezone.localdate().month
        return self.show(filters)
