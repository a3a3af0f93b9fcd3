from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import BookingPurpose


class SlotChoiceField(forms.CharField):
    """A slot's start as the page sends it (ISO 8601 with the offset), read back as an aware datetime."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(_("Giờ hẹn không hợp lệ. Vui lòng chọn lại.")) from None
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


class BookingForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Mục đích"), choices=BookingPurpose.choices, widget=forms.RadioSelect,
                                error_messages={"required": _("Vui lòng chọn mục đích của lịch hẹn.")})
    starts_at = SlotChoiceField(label=_("Giờ hẹn"), error_messages={"required": _("Vui lòng chọn một giờ hẹn.")})
    procedure = forms.CharField(required=False, widget=forms.HiddenInput)
    dossier = forms.CharField(required=False, widget=forms.HiddenInput)


class MoveForm(forms.Form):
    starts_at = SlotChoiceField(label=_("Giờ hẹn mới"), error_messages={"required": _("Vui lòng chọn giờ hẹn mới.")})
