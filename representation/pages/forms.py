from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers import uploads
from procedures.models import Field, Procedure

from ..constants import MemberRole, Scope

# The authorisation's document: a signed paper scanned, or a PDF.
DOCUMENT_TYPES = ["pdf", "png", "jpg", "jpeg"]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GrantForm(forms.Form):
    agent_identity = forms.RegexField(
        label=_("Số CCCD của người được ủy quyền"), regex=r"^\d{12}$", max_length=12,
        error_messages={"invalid": _("Số CCCD gồm đúng 12 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    scope = forms.ChoiceField(label=_("Phạm vi ủy quyền"), choices=Scope.choices, initial=Scope.PROCEDURE,
                              widget=forms.RadioSelect)
    procedure = forms.ModelChoiceField(label=_("Thủ tục"), required=False,
                                       queryset=Procedure.objects.filter(is_active=True).order_by("name"),
                                       help_text=_("Khi phạm vi là một thủ tục."))
    field = forms.ModelChoiceField(label=_("Lĩnh vực"), required=False, queryset=Field.objects.order_by("name"),
                                   help_text=_("Khi phạm vi là một lĩnh vực."))
    valid_from = forms.DateField(label=_("Hiệu lực từ ngày"), widget=DATE)
    valid_until = forms.DateField(label=_("Hiệu lực đến ngày"), widget=DATE)
    document = forms.FileField(label=_("Văn bản ủy quyền (PDF hoặc ảnh chụp)"),
                               widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()

    def clean_document(self):
        """The same checks as a dossier's files: type read from the content, size within the limit."""
        upload = self.cleaned_data["document"]
        try:
            return uploads.check_upload(upload, accepted=DOCUMENT_TYPES, max_bytes=uploads.max_file_bytes())
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


class MemberForm(forms.Form):
    member_identity = forms.RegexField(
        label=_("Số CCCD của thành viên"), regex=r"^\d{12}$", max_length=12,
        error_messages={"invalid": _("Số CCCD gồm đúng 12 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=MemberRole.choices, initial=MemberRole.SUBMITTER)
