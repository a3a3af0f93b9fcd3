from django import forms
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Call, Message, Mode, Protocol, UploadedFile


class ControlForm(forms.Form):
    protocol = forms.ChoiceField(label=_("Giao thức"), choices=Protocol.choices)
    mode = forms.ChoiceField(label=_("Cách trả lời"), choices=Mode.choices)
    every = forms.IntegerField(label=_("Một lần trong mỗi (lần gọi)"), min_value=1, initial=1)
    times = forms.IntegerField(label=_("Số lần (0: mãi mãi)"), min_value=0, initial=0)
    delay = forms.FloatField(label=_("Chờ (giây) khi quá thời gian"), min_value=0, initial=30, required=False)
    clear = forms.BooleanField(label=_("Xóa mọi dữ liệu đã nhận"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-check-input" if name == "clear" else (
                "form-select" if isinstance(field, forms.ChoiceField) else "form-control")

    def save_control(self):
        data = self.cleaned_data
        row = services.control(data["protocol"])
        row.mode, row.every, row.times = data["mode"], data["every"], data["times"]
        row.delay = data["delay"] if data.get("delay") is not None else row.delay
        row.affected = row.seen = 0
        row.save()
        if data.get("clear"):
            for model in (Message, Call):
                model.objects.filter(protocol=data["protocol"]).delete()
            if data["protocol"] == Protocol.V2:
                UploadedFile.objects.all().delete()
        return row
