"""/tai-khoan/thong-bao/: the citizen chooses SMS and Zalo notices besides e-mail, after verifying the phone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from notifications import notices

from .notice_forms import NoticeChannelsForm, NoticeCodeForm, NoticePhoneForm


def _try(form, field: str, write) -> bool:
    """Run the service `write`; its refusal is shown next to `field`, with what was typed kept."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as exc:
        form.add_error(field, exc)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def notice_settings(request):
    channels = notices.channels_on()
    if not channels:
        raise Http404
    user, action = request.user, request.POST.get("action")
    chosen = notices.notice_settings_of(user=user)
    phone_form = NoticePhoneForm(request.POST if action == "send_code" else None,
                                 initial={"phone": chosen.phone or user.phone})
    code_form = NoticeCodeForm(request.POST if action == "verify" else None)
    channels_form = NoticeChannelsForm(request.POST if action == "save" else None, channels=channels,
                                       initial={"sms": chosen.sms, "zalo": chosen.zalo})
    if action == "send_code" and _try(phone_form, "phone",
                                      lambda d: notices.notice_code_send(user=user, phone=d["phone"])):
        messages.success(request, _("Đã gửi mã xác minh bằng SMS. Mã có hiệu lực trong ít phút."))
        return redirect("accounts:notices")
    if action == "verify" and _try(code_form, "code", lambda d: notices.notice_code_verify(user=user, code=d["code"])):
        messages.success(request, _("Đã xác minh số điện thoại nhận tin."))
        return redirect("accounts:notices")
    if action == "save" and _try(channels_form, None, lambda d: notices.notice_settings_save(
            user=user, sms=d.get("sms", False), zalo=d.get("zalo", False))):
        messages.success(request, _("Đã lưu lựa chọn nhận tin."))
        return redirect("accounts:notices")
    return render(request, "accounts/notices.html", {
        "chosen": chosen, "phone_form": phone_form, "code_form": code_form, "channels_form": channels_form,
        "code_pending": notices.notice_code_pending(user=user), "action": action,
    })
