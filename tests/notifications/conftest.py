import pytest


@pytest.fixture
def providers(live_server, settings):
    """The SMS and Zalo plugins pointed at the sandboxes of a live server, over real HTTP on loopback."""
    settings.SMS_API_URL = live_server.url + "/sandbox/sms"
    settings.ZALO_API_URL = live_server.url + "/sandbox/zalo"
    settings.SITE_URL = "https://dichvucong.kontum.gov.vn"
    settings.NOTICE_HTTP_TIMEOUT = 1.5
    settings.NOTICE_SANDBOX_HANG_SECONDS = 4
    settings.NOTICE_DAILY_CAP = 5
    return live_server.url
