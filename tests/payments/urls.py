"""Test-only URLs: the portal's, the sandbox, and a small merchant that receives returns and IPNs.

The receiver calls the gateway plugins the way the portal's generic views will:
look the plugin up by the URL's <gateway> (404 if unknown), verify, answer in the gateway's format.
"""

from django.http import Http404, HttpResponse
from django.urls import include, path
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt

from payments.gateways.base import WebhookCode
from payments.gateways.registry import get_gateway
from portal.urls import urlpatterns as portal_urlpatterns


class Receiver:
    """What the test merchant received; `refuse` answers the first N IPNs with 'unexpected error'."""

    def __init__(self):
        self.reset()

    def reset(self, refuse: int = 0):
        self.refuse = refuse
        self.ipns = []
        self.returns = []


RECEIVER = Receiver()


def _plugin(name: str):
    try:
        return get_gateway(name)
    except LookupError:
        raise Http404("unknown gateway") from None


@csrf_exempt
def ipn(request, gateway):
    plugin = _plugin(gateway)
    parsed = plugin.verify_webhook(request)
    RECEIVER.ipns.append(parsed)
    if len(RECEIVER.ipns) <= RECEIVER.refuse:
        return plugin.webhook_response(WebhookCode.UNEXPECTED)
    return plugin.webhook_response(WebhookCode.ACCEPTED if parsed.signature_ok else WebhookCode.BAD_SIGNATURE)


def return_page(request, gateway):
    outcome = _plugin(gateway).parse_return(request.GET)
    RECEIVER.returns.append(outcome)
    verdict = "Thanh toán thành công" if outcome.success else "Thanh toán không thành công"
    if not outcome.signature_ok:
        verdict = "Chữ ký không hợp lệ"
    return HttpResponse(
        f"<!doctype html><meta name=viewport content='width=device-width'><link rel=icon href='data:,'><h1>{verdict}</h1>"
        f"<p id=code>{escape(outcome.code)}</p><p id=ref>{escape(outcome.reference)}</p>"
    )


urlpatterns = [
    *[p for p in portal_urlpatterns if getattr(p, "app_name", None) != "sandbox"],
    path("sandbox/", include("sandbox.urls")),
    path("test-ipn/<str:gateway>/", ipn),
    path("test-return/<str:gateway>/", return_page),
]
