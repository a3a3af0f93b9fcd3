"""The sandbox provider's pages: its login (the authorization endpoint), its keys, its logout, its control page.

Its login lives in a signed cookie of its own (path /sandbox/idp/), not in the portal's session: the two are separate
sessions, as they are with the real provider, and ending one does not end the other.
"""

from django import forms
from django.core import signing
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_GET
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.views import RPInitiatedLogoutView
from oauth2_provider.views.mixins import OAuthLibMixin

from . import keys, services
from .models import Misbehaviour, TestCitizen

COOKIE = "sandbox_idp"
COOKIE_PATH = "/sandbox/idp/"
COOKIE_SALT = "sandbox_idp.login"


class CitizenLoginForm(forms.Form):
    so_dinh_danh = forms.CharField(label=_("Số định danh cá nhân"), max_length=12)
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput)


def signed_in(request) -> TestCitizen | None:
    try:
        number = signing.loads(request.COOKIES.get(COOKIE, ""), salt=COOKIE_SALT, max_age=3600)
    except signing.BadSignature:
        return None
    return TestCitizen.objects.filter(so_dinh_danh=number).select_related("user").first()


class AuthorizeView(OAuthLibMixin, View):
    """The authorization endpoint (OIDC Core §3.1.2): the citizen logs in here, then goes back with a code."""

    def get(self, request):
        return self.answer(request, form=CitizenLoginForm())

    def post(self, request):
        form = CitizenLoginForm(request.POST)
        citizen = None
        if form.is_valid():
            citizen = services.citizen_login(**form.cleaned_data)
            if citizen is None:
                form.add_error(None, _("Số định danh hoặc mật khẩu không đúng."))
        return self.answer(request, form=form, citizen=citizen)

    def answer(self, request, *, form, citizen=None):
        services.sandbox_ensure()
        try:
            scopes, credentials = self.validate_authorization_request(request)
        except OAuthToolkitError as error:
            redirect, info = self.error_response(error)
            if redirect:
                return HttpResponseRedirect(info["url"])
            return render(request, "sandbox_idp/error.html", {"error": info["error"]}, status=400)
        if citizen is None and "login" not in request.GET.get("prompt", ""):
            citizen = signed_in(request)
        if citizen is None:
            status = 400 if form.is_bound else 200
            return render(request, "sandbox_idp/login.html", {"form": form, "citizens": TestCitizen.objects.all(),
                                                              "query": request.GET.urlencode()}, status=status)
        request.user = citizen.user
        uri, _headers, _body, _status = self.create_authorization_response(
            request=request, scopes=" ".join(scopes), credentials=credentials, allow=True)
        if citizen.misbehaviour == Misbehaviour.WRONG_STATE:
            uri = uri.replace("state=", "state=khac", 1)
        response = HttpResponseRedirect(uri)
        response.set_cookie(COOKIE, signing.dumps(citizen.so_dinh_danh, salt=COOKIE_SALT), path=COOKIE_PATH,
                            httponly=True, samesite="Lax")
        return response


@require_GET
def jwks(request):
    """The provider's keys (RFC 7517): the current one, and after a rotation the next one first."""
    published = [keys.public(keys.current_jwk())]
    if services.rotated():
        published.insert(0, keys.public(keys.next_jwk()))
    return JsonResponse({"keys": published})


class EndSessionView(RPInitiatedLogoutView):
    """RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) that also ends the sandbox's own login."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if 300 <= response.status_code < 400:
            response.delete_cookie(COOKIE, path=COOKIE_PATH)
        return response


class ControlForm(forms.Form):
    so_dinh_danh = forms.ChoiceField(label=_("Công dân thử nghiệm"))
    misbehaviour = forms.ChoiceField(label=_("Hành vi"), choices=Misbehaviour.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["so_dinh_danh"].choices = [(c.so_dinh_danh, str(c)) for c in TestCitizen.objects.all()]


def control(request):
    """The control page: which test citizen makes the provider misbehave, and how (a form, or a plain POST)."""
    services.sandbox_ensure()
    form = ControlForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.citizen_misbehave(**form.cleaned_data)
        return HttpResponseRedirect(request.path + "?" + urlencode({"da_luu": form.cleaned_data["so_dinh_danh"]}))
    return render(request, "sandbox_idp/control.html",
                  {"form": form, "citizens": TestCitizen.objects.all(), "saved": request.GET.get("da_luu")},
                  status=400 if form.is_bound else 200)
