"""The registration captcha on a phone and a desktop, in Vietnamese and English: readable, refreshable, audible."""

import pytest
from captcha.models import CaptchaStore

from tests.e2e.axe import axe_run, axe_source, describe
from tests.e2e.conftest import assert_fits_width, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = {
    "vi": {"refresh": "Đổi mã khác", "listen": "Nghe mã", "label": "Mã xác thực", "refreshed": "Đã đổi sang mã mới."},
    "en": {"refresh": "New code", "listen": "Listen", "label": "Verification code", "refreshed": "A new code is shown."},
}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_register_captcha_reads_refreshes_and_plays(pages, live_server, viewport, language):
    page = pages[viewport]
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto("/tai-khoan/dang-ky/")
    text = TEXTS[language]
    image = page.locator("img.captcha")
    box = image.bounding_box()
    # Readable on a phone: at least 200 px wide on screen (the default image is 100 px).
    assert box["width"] >= 200 and box["height"] >= 60, box
    assert page.eval_on_selector("img.captcha", "img => img.complete && img.naturalWidth") >= 240
    answer = page.get_by_role("textbox", name=text["label"])  # the answer box is announced with its label
    assert answer.get_attribute("inputmode") == "numeric"

    key = page.input_value("input[name=captcha_0]")
    assert page.locator("audio").count() == 0  # no empty player before "listen" is pressed
    blocking = [v for v in axe_run(page, axe_source()) if v["impact"] in ("serious", "critical")]
    assert not blocking, describe(blocking)  # the button names no player that does not exist yet
    listen = page.get_by_role("button", name=text["listen"])
    audio_src = listen.get_attribute("href")
    assert key in audio_src
    page.get_by_role("button", name=text["refresh"]).click()
    page.wait_for_function("key => document.querySelector('input[name=captcha_0]').value !== key", arg=key)
    new_key = page.input_value("input[name=captcha_0]")
    assert CaptchaStore.objects.filter(hashkey=new_key).exists()
    assert new_key in page.get_attribute("img.captcha", "src")
    assert listen.get_attribute("href") != audio_src and new_key in listen.get_attribute("href")
    assert page.locator("audio").count() == 0
    assert page.inner_text("[data-captcha-status]") == text["refreshed"]
    assert page.evaluate("document.activeElement.name") == "captcha_1"

    # Pressed, "listen" opens one player under the image, on the new challenge's sound: a real WAV the
    # browser decodes and plays.
    listen.click()
    player = page.locator("audio.captcha-audio")
    assert player.count() == 1 and player.is_visible() and new_key in player.get_attribute("src")
    duration = page.evaluate("""async () => {
        const audio = document.querySelector('audio.captcha-audio');
        if (!(audio.duration > 0)) {
            audio.load();
            await new Promise((ok, fail) => { audio.onloadedmetadata = ok; audio.onerror = fail; });
        }
        return audio.duration;
    }""")
    assert duration > 2.0  # five digits with pauses
    listen.click()
    assert page.locator("audio").count() == 1  # pressed again: the same player, played from the start

    assert_fits_width(page)
    blocking = [v for v in axe_run(page, axe_source()) if v["impact"] in ("serious", "critical")]
    assert not blocking, describe(blocking)
    shot(page, "captcha", f"register-{language}", viewport)
    assert page.console_errors == [] or all("play()" in e or "NotAllowedError" in e for e in page.console_errors)
