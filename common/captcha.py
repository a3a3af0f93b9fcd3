"""The captcha the portal's forms use: digits to read, or to hear, with a button for a new one.

django-simple-captcha draws the image; the challenge is digits only, so that a phone offers its number pad
and the audio can be read out in Vietnamese or English from ten short recorded clips per language
(common/captcha_audio/<lang>/<digit>.wav, made once with espeak-ng, see make_captcha_audio). Joining them
needs only the standard library's ``wave``: no text-to-speech program on the server.
"""

import io
import secrets
import wave
from functools import cache
from pathlib import Path

from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

AUDIO_DIR = Path(__file__).resolve().parent / "captcha_audio"
AUDIO_LANGUAGES = ("vi", "en")
DIGITS = "0123456789"
# Silence between two digits, and before the first, so a screen reader's own speech does not cover it.
GAP_SECONDS = 0.45
LEAD_SECONDS = 0.3


def digit_challenge() -> tuple[str, str]:
    """CAPTCHA_CHALLENGE_FUNCT: (text drawn, expected answer)."""
    from captcha.conf import settings as captcha_settings

    answer = "".join(secrets.choice(DIGITS) for _ in range(captcha_settings.CAPTCHA_LENGTH))
    return answer, answer


class AccessibleCaptchaInput(CaptchaTextInput):
    """Image with a meaningful alt text, a button for a new challenge and a button to hear it."""

    template_name = "common/captcha_widget.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # The field's attributes (label, number pad) belong to the answer box, not to the hidden key.
        hidden = context["widget"]["subwidgets"][0]
        hidden["attrs"] = {k: v for k, v in hidden["attrs"].items() if k in ("id", "autocomplete")}
        context["audio"] = reverse("captcha-audio-clip", kwargs={"key": self._key})
        context["audio_pattern"] = reverse("captcha-audio-clip", kwargs={"key": "KEY"})
        context["refresh"] = reverse("captcha-refresh")
        context["key"] = self._key
        return context


class LabelledCaptchaField(CaptchaField):
    """A captcha whose answer box carries the field's label.

    The widget is two inputs (the key, hidden, and the answer), so the form layout draws it as a fieldset
    whose legend labels no input; screen readers would announce a nameless text box.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Mã xác thực (gõ các chữ số trong hình, hoặc bấm “Nghe mã”)"))
        kwargs.setdefault("widget", AccessibleCaptchaInput())
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "aria-label": self.label,
            "inputmode": "numeric",
            "pattern": "[0-9]*",
            "class": "form-control captcha-answer",
        }


@register(Tags.security, deploy=True)
def check_captcha_test_mode(app_configs, **kwargs):
    """CAPTCHA_TEST_MODE accepts "PASSED" for any challenge: for tests and DEBUG only, never in production."""
    if getattr(settings, "CAPTCHA_TEST_MODE", False) and not settings.DEBUG:
        return [Error("CAPTCHA_TEST_MODE is on while DEBUG is off: every captcha accepts the answer PASSED.",
                      hint="Unset CAPTCHA_TEST_MODE in production.", id="common.E001")]
    return []


@cache
def _clip(language: str, digit: str) -> tuple:
    with wave.open(str(AUDIO_DIR / language / f"{digit}.wav"), "rb") as clip:
        return clip.getparams(), clip.readframes(clip.getnframes())


def challenge_audio(text: str, language: str) -> bytes:
    """One WAV file reading the digits of ``text`` in ``language`` (vi or en), with pauses between them."""
    language = language if language in AUDIO_LANGUAGES else AUDIO_LANGUAGES[0]
    params, _frames = _clip(language, "0")
    frame_bytes = params.sampwidth * params.nchannels

    def silence(seconds: float) -> bytes:
        return b"\x00" * (int(params.framerate * seconds) * frame_bytes)

    out = io.BytesIO()
    with wave.open(out, "wb") as joined:
        joined.setnchannels(params.nchannels)
        joined.setsampwidth(params.sampwidth)
        joined.setframerate(params.framerate)
        joined.writeframes(silence(LEAD_SECONDS))
        for digit in text:
            if digit not in DIGITS:
                continue
            joined.writeframes(_clip(language, digit)[1])
            joined.writeframes(silence(GAP_SECONDS))
    return out.getvalue()


@require_GET
@never_cache
def captcha_audio(request, key: str):
    """The challenge read aloud in the page's language; the same one-time key as the image."""
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None:
        raise Http404
    response = HttpResponse(challenge_audio(store.challenge, translation.get_language() or "vi"),
                            content_type="audio/wav")
    response["Content-Disposition"] = 'inline; filename="ma-xac-thuc.wav"'
    return response

