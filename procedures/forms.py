from django import forms

from .constants import ONLINE_LEVEL_ALIASES, ONLINE_LEVEL_SLUGS, ImplementationLevel
from .selectors import MAX_QUERY_LENGTH


class CatalogueFilterForm(forms.Form):
    """The catalogue's GET parameters. Bad values are dropped, never a server error."""

    q = forms.CharField(required=False, label="Từ khóa")
    agency = forms.CharField(required=False, label="Cơ quan thực hiện", max_length=20)
    field = forms.CharField(required=False, label="Lĩnh vực", max_length=50)
    # `toan-trinh` / `mot-phan` (Decree 42/2022), with the old 4 / 3 as aliases (DESIGN.md §4).
    level = forms.TypedChoiceField(
        required=False,
        label="Mức độ",
        choices=[("", "Tất cả mức độ"), *[(key, key) for key in ONLINE_LEVEL_ALIASES]],
        coerce=lambda value: int(ONLINE_LEVEL_ALIASES[value]),
        empty_value=None,
    )
    scope = forms.TypedChoiceField(
        required=False, label="Cấp thực hiện", choices=[("", "Tất cả các cấp"), *ImplementationLevel.choices]
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
            "scope": data.get("scope") or "",
        }


def level_options() -> list[tuple[str, str, int]]:
    """The level filter's options: (URL value, label, stored level)."""
    from .constants import OnlineLevel

    return [(slug, str(OnlineLevel(level).label), int(level)) for slug, level in ONLINE_LEVEL_SLUGS.items()]
