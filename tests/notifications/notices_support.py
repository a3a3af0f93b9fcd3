"""Helpers for the notice tests: the sandboxes read and driven over HTTP, as their pages show them."""

import html
import re
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

ROW = re.compile(r'<tr><td class="small">[^<]*</td><td class="text-break">([^<]*)</td>'
                 r'<td class="text-break">([^<]*)</td></tr>')


def received(base_url: str, channel: str) -> list[tuple[str, str]]:
    """(recipient, text) of every message the sandbox's page lists, newest first."""
    with urllib.request.urlopen(f"{base_url}/sandbox/{channel}/", timeout=10) as response:
        page = response.read().decode()
    return [(html.unescape(to), html.unescape(text)) for to, text in ROW.findall(page)]


def behave(base_url: str, channel: str, mode: str, times: int = 0) -> None:
    """Choose on the sandbox's page how it answers the next `times` requests (its form, with its CSRF token)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(f"{base_url}/sandbox/{channel}/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "mode": mode, "times": times}).encode()
    request = urllib.request.Request(f"{base_url}/sandbox/{channel}/", data=data,
                                     headers={"Referer": f"{base_url}/sandbox/{channel}/"})
    opener.open(request, timeout=10).read()


def last_code(base_url: str, phone: str) -> str:
    """The verification code in the newest SMS the sandbox received for `phone`."""
    for to, text in received(base_url, "sms"):
        if to == phone and (found := re.search(r"\b(\d{6})\b", text)):
            return found.group(1)
    raise AssertionError(f"no code sent to {phone}")
