"""The client's address, resolved once (common.client), with real forwarded headers over a live server.

Without a configured proxy, X-Forwarded-For is the client's own word and is ignored: nobody escapes the
lockout, or locks someone else out, by changing it. Behind the documented proxy the lockout is per
(account, client): an attacker locks only themselves out, and the citizen still logs in.
"""

import re

import pytest
import requests

from accounts.models import User
from axes.models import AccessAttempt
from common.client import client_address

PASSWORD = "Mat-khau-cong-dan-2026"


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "expected"),
    [
        ("203.0.113.9", "", [], "203.0.113.9"),
        ("203.0.113.9", "198.51.100.4", [], "203.0.113.9"),  # no proxy: the header is the client's own word
        ("10.0.0.2", "198.51.100.4", ["10.0.0.0/8"], "198.51.100.4"),  # behind the proxy
        ("10.0.0.2", "6.6.6.6, 198.51.100.4", ["10.0.0.2"], "198.51.100.4"),  # forged entries stay to the left
        ("10.0.0.2", "198.51.100.4, 10.0.0.3", ["10.0.0.0/8"], "198.51.100.4"),  # two proxies
        ("10.0.0.2", "bogus, 10.0.0.3", ["10.0.0.0/8"], "10.0.0.3"),  # stops at the last address vouched for
        ("10.0.0.2", "", ["10.0.0.0/8"], "10.0.0.2"),
        ("203.0.113.9", "198.51.100.4", ["10.0.0.0/8"], "203.0.113.9"),  # not from the proxy: ignored
        ("10.0.0.2", "2001:db8::7", ["10.0.0.0/8"], "2001:db8::7"),
        ("", "198.51.100.4", ["10.0.0.0/8"], "unknown"),
    ],
)
def test_client_address(remote, forwarded, proxies, expected):
    assert client_address(remote_addr=remote, forwarded_for=forwarded, proxies=proxies) == expected


@pytest.fixture
def citizen(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    settings.AXES_FAILURE_LIMIT = 3
    return User.objects.create_user("an@example.vn", PASSWORD, is_active=True, full_name="Nguyễn Văn An")


def _login(live_server, password: str, forwarded: str | None) -> requests.Response:
    session = requests.Session()
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    url = f"{live_server.url}/tai-khoan/dang-nhap/"
    session.get(url, headers=headers, timeout=10)
    return session.post(
        url,
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"], "username": "an@example.vn", "password": password},
        headers=headers,
        allow_redirects=False,
        timeout=10,
    )


@pytest.mark.integration
def test_without_a_proxy_the_forwarded_header_cannot_dodge_the_lockout(live_server, citizen, settings):
    settings.TRUSTED_PROXIES = []
    codes = [_login(live_server, "sai-mat-khau", f"198.51.100.{n}").status_code for n in range(3)]
    assert codes == [200, 200, 429]  # three "clients" that are one: the third failure locks it out
    # A fourth "client" is the same client: locked, even with the right password.
    assert _login(live_server, PASSWORD, "198.51.100.99").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


@pytest.mark.integration
def test_behind_the_proxy_an_attacker_locks_only_themselves_out(live_server, citizen, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]  # the live server is reached through "the proxy" on loopback
    assert [_login(live_server, "sai-mat-khau", "203.0.113.9").status_code for _ in range(3)] == [200, 200, 429]
    assert _login(live_server, PASSWORD, "203.0.113.9").status_code == 429
    # Forging the citizen's address in front of the real one does not help: nginx appends what it saw.
    assert _login(live_server, PASSWORD, "198.51.100.4, 203.0.113.9").status_code == 429
    # The citizen, elsewhere, still logs in.
    response = _login(live_server, PASSWORD, "198.51.100.4")
    assert response.status_code == 302 and "dang-nhap" not in response.headers["Location"]
    assert "203.0.113.9" in set(AccessAttempt.objects.values_list("ip_address", flat=True))


@pytest.mark.integration
def test_behind_the_proxy_the_public_lookup_counts_each_client(live_server, transactional_db, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.DOSSIER_LOOKUP_LIMIT = 2
    url = f"{live_server.url}/tra-cuu-ho-so/"

    def ask(address):
        with requests.Session() as session:
            page = session.get(url, headers={"X-Forwarded-For": address}, timeout=10).text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            form = {"code": "000.00.21.H34-261201-0001", "key": "ABCDEF", "csrfmiddlewaretoken": token}
            return session.post(url, data=form, headers={"X-Forwarded-For": address, "Referer": url},
                                timeout=10).status_code

    assert [ask("203.0.113.9") for _ in range(3)] == [404, 404, 429]
    assert ask("198.51.100.4") == 404  # another client behind the same proxy is not limited by the first
