from django.contrib.staticfiles import finders


def test_favicon_ico_leads_to_the_emblem(client):
    """Pages without an icon link (the admin) make browsers ask for /favicon.ico: no 404 in their console."""
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/img/emblem.svg")
    assert finders.find("img/emblem.svg")
