from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.client import client_ip
from common.ratelimit import rate_allow

from .forms import VerifyForm
from .trust import trust_root_files
from .verify import pdf_verify


@require_http_methods(["GET", "POST"])
def verify(request):
    """Xác thực văn bản điện tử: who signed a PDF, when, under which chain, intact or not, trusted or not."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST":
        valid = form.is_valid()  # every upload counts, a refused one too
        if not rate_allow(f"signature-verify:ip:{client_ip(request)}",
                          limit=settings.SIGNATURES_VERIFY_RATE_LIMIT, window=settings.SIGNATURES_VERIFY_RATE_WINDOW):
            form.add_error(None, _("Bạn đã kiểm tra quá nhiều văn bản. Vui lòng thử lại sau ít phút."))
            status = 429
        elif valid:
            upload = form.cleaned_data["document"]
            result = pdf_verify(data=upload.read())
            result.name = upload.name
        else:
            status = 400
    context = {"form": form, "result": result, "roots_configured": bool(trust_root_files())}
    return render(request, "signatures/verify.html", context, status=status)
