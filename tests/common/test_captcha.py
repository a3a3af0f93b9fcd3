"""The captcha: digits drawn large enough for a phone, a new one on request, and the same digits read aloud."""

import io
import re
import wave

import pytest
from captcha.models import CaptchaStore
from django.core.management import call_command

from common.captcha import AUDIO_DIR, DIGITS, challenge_audio, digit_challenge

pytestmark = pytest.mark.django_db


def _key(page: str) -> str:
    return re.search(r'name="captcha_0"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="captcha_0"', page).group(1)


def test_register_page_labels_the_captcha_and_offers_refresh_and_audio(client):
    page = client.get("/tai-khoan/dang-ky/").content.decode()
    assert 'alt="captcha"' not in page
    assert re.search(r'<img[^>]+class="captcha[^"]*"[^>]+alt="Hình mã xác thực[^"]+"', page)
    assert re.search(r'<input[^>]+name="captcha_1"[^>]+aria-label="Mã xác thực \(gõ các chữ số trong hình', page)
    assert 'inputmode="numeric"' in page
    assert "Đổi mã khác" in page and "Nghe mã" in page
    key = _key(page)
    # "Nghe mã" is a link to the sound (it plays without JavaScript); no empty player shows before it is pressed.
    assert re.search(rf'<a [^>]*href="/captcha/am-thanh/{key}\.wav"[^>]*data-captcha-listen[^>]*>Nghe mã</a>', page)
    assert "<audio" not in page
    # No inline script (the Content-Security-Policy forbids it): the buttons work from a static file.
    assert re.search(r'<script src="/static/common/captcha\.js"', page)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)


def test_challenge_is_digits_only():
    for _ in range(20):
        shown, answer = digit_challenge()
        assert shown == answer and len(answer) == 5 and set(answer) <= set(DIGITS)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_audio_reads_each_digit_from_the_recorded_clips_in_the_page_language(client, language):
    client.cookies["django_language"] = language  # the portal's language switch
    page = client.get("/tai-khoan/dang-ky/").content.decode()
    store = CaptchaStore.objects.get(hashkey=_key(page))
    response = client.get(f"/captcha/am-thanh/{store.hashkey}.wav")
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    body = response.content
    with wave.open(io.BytesIO(body)) as joined:
        frames = joined.readframes(joined.getnframes())
    # Every clip of the answer appears, in order, in the joined sound.
    position = 0
    for digit in store.challenge:
        with wave.open(str(AUDIO_DIR / language / f"{digit}.wav")) as clip:
            clip_frames = clip.readframes(clip.getnframes())
        found = frames.find(clip_frames, position)
        assert found >= position, f"digit {digit} missing or out of order"
        position = found + len(clip_frames)


def test_vietnamese_and_english_audio_differ():
    assert challenge_audio("123", "vi") != challenge_audio("123", "en")
    assert challenge_audio("123", "fr") == challenge_audio("123", "vi")


def test_audio_of_an_unknown_or_expired_key_is_404(client):
    assert client.get("/captcha/am-thanh/nope.wav").status_code == 404
    CaptchaStore.generate_key()
    store = CaptchaStore.objects.get()
    CaptchaStore.objects.update(expiration="2000-01-01T00:00:00Z")
    assert client.get(f"/captcha/am-thanh/{store.hashkey}.wav").status_code == 404


def test_refresh_gives_a_new_key_whose_image_and_audio_are_served(client):
    response = client.get("/captcha/refresh/", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    key = response.json()["key"]
    assert client.get(response.json()["image_url"])["Content-Type"] == "image/png"
    assert client.get(f"/captcha/am-thanh/{key}.wav").status_code == 200


def test_image_is_big_enough_to_read_on_a_phone(client):
    from PIL import Image

    page = client.get("/tai-khoan/dang-ky/").content.decode()
    image = Image.open(io.BytesIO(client.get(f"/captcha/image/{_key(page)}/").content))
    assert image.size[0] >= 200 and image.size[1] >= 70


def test_the_right_digits_pass_and_a_wrong_answer_is_refused_without_test_mode(client, settings, monkeypatch):
    from captcha.conf import settings as captcha_settings

    from dossiers.forms import ReviewForm

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    key = CaptchaStore.generate_key()
    answer = CaptchaStore.objects.get(hashkey=key).response
    assert ReviewForm({"confirm": "on", "captcha_0": key, "captcha_1": f" {answer} "}).is_valid()
    key = CaptchaStore.generate_key()
    form = ReviewForm({"confirm": "on", "captcha_0": key, "captcha_1": "PASSED"})
    assert form.errors["captcha"] == ["Mã xác thực không đúng, vui lòng nhập lại."]


def test_production_refuses_the_test_mode(settings):
    from django.core.checks import run_checks

    settings.DEBUG = False
    settings.CAPTCHA_TEST_MODE = True
    assert any(message.id == "common.E001" for message in run_checks(include_deployment_checks=True))
    settings.CAPTCHA_TEST_MODE = False
    assert not any(message.id == "common.E001" for message in run_checks(include_deployment_checks=True))
    call_command("check")
