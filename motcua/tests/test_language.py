import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_vietnamese_is_the_default_even_for_an_english_browser(client):
    response = client.get(reverse("portal:home"), headers={"accept-language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "vi"
    assert 'lang="vi"' in response.content.decode()


def test_an_explicit_choice_switches_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("portal:home"))
    assert response["Content-Language"] == "en"
    assert 'lang="en"' in response.content.decode()


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get(reverse("portal:home"))["Content-Language"] == "vi"
