from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import OnlineLevel
from .selectors import MAX_QUERY_LENGTH


class CatalogueFilterForm(forms.Form):
    """The catalogue's GET parameters. Bad values are dropped, never a server error."""

    q = forms.CharField(required=False, label=_("Từ khóa"))
    agency = forms.CharField(required=False, label=_("Cơ quan thực hiện"), max_length=20)
    field = forms.CharField(required=False, label=_("Lĩnh vực"), max_length=50)
    level = forms.TypedChoiceField(
        required=False,
        label=_("Mức độ"),
        choices=[("", _("Tất cả mức độ")), *OnlineLevel.choices],
        coerce=int,
        empty_value=None,
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())[:MAX_QUERY_LENGTH]

    def filters(self) -> dict:
        """Return the valid filters; an invalid one is ignored rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "agency": data.get("agency") or "",
            "field": data.get("field") or "",
            "level": data.get("level"),
        }
