import pytest

pytestmark = pytest.mark.django_db


def test_home_page_shows_search_and_the_three_steps(client):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Cổng Dịch vụ công tỉnh Kon Tum" in text
    for step in ("Đăng ký tài khoản", "Nộp hồ sơ trực tuyến", "Thanh toán trực tuyến"):
        assert step in text
    assert 'name="q"' in text
    assert "0260.3797799" in text and "0260.3958789" in text


def test_healthz_reports_database_cache_broker_storage(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "storage"}
