"""The portal and the sandbox identity provider on one live server, over real HTTP on loopback."""

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

PASSWORD = "123456"  # every test citizen's password at the sandbox provider
AN, BINH, CUONG = "062090000001", "062085000002", "062095000003"  # loAs 2, 2, 1; Cường gives no e-mail


@pytest.fixture
def idp(live_server, settings, transactional_db):
    """The live server's address on 127.0.0.1, with the portal pointed at its sandbox provider."""
    base = live_server.url.replace("localhost", "127.0.0.1")
    settings.NATIONAL_IDP_ISSUER = base + "/sandbox/idp"
    settings.NATIONAL_IDP_METADATA_URL = base + "/sandbox/idp/.well-known/openid-configuration"
    settings.NATIONAL_LOGIN_ENABLED = True
    settings.NATIONAL_IDP_PKCE = True
    return base


def misbehave(base: str, number: str, how: str) -> None:
    """Tell the sandbox how to misbehave for this citizen, through its control endpoint, as an operator would."""
    answer = requests.post(base + "/sandbox/idp/dieu-khien/", data={"so_dinh_danh": number, "misbehaviour": how},
                           allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text


def csrf(session: requests.Session, html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class Browser:
    """A browser made of plain HTTP requests: it follows each redirect itself, so a test sees every hop."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()
        self.hops: list[str] = []

    def get(self, url: str, **kwargs) -> requests.Response:
        return self.follow(self.session.get(urljoin(self.base, url), allow_redirects=False, timeout=20, **kwargs))

    def post(self, url: str, data: dict, *, referer: str = "") -> requests.Response:
        answer = self.session.post(urljoin(self.base, url), data=data, allow_redirects=False, timeout=20,
                                   headers={"Referer": referer or urljoin(self.base, url)})
        return self.follow(answer)

    def follow(self, answer: requests.Response) -> requests.Response:
        while answer.is_redirect:
            target = urljoin(answer.url, answer.headers["Location"])
            self.hops.append(target)
            answer = self.session.get(target, allow_redirects=False, timeout=20)
        return answer

    def start(self, next_url: str = "") -> requests.Response:
        """Click "Đăng nhập bằng tài khoản định danh điện tử": the provider's login page."""
        return self.get("/tai-khoan/dang-nhap/quoc-gia/" + (f"?next={next_url}" if next_url else ""))

    def login_at_provider(self, page: requests.Response, number: str, password: str = PASSWORD) -> requests.Response:
        assert "Đăng nhập tài khoản định danh điện tử" in page.text, page.text[:500]
        return self.post(page.url, {"csrfmiddlewaretoken": csrf(self.session, page.text), "so_dinh_danh": number,
                                    "password": password}, referer=page.url)

    def national_login(self, number: str, next_url: str = "") -> requests.Response:
        return self.login_at_provider(self.start(next_url), number)

    def signed_in(self) -> bool:
        """The profile page opens (a visitor is sent to the login page)."""
        return self.session.get(self.base + "/tai-khoan/", allow_redirects=False, timeout=10).status_code == 200

    def authorize_query(self) -> dict:
        first = next(hop for hop in self.hops if "/sandbox/idp/authorize/" in hop)
        return {k: v[0] for k, v in parse_qs(urlsplit(first).query).items()}
