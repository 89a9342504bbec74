"""Vietnamese first: the UI language is Vietnamese unless the visitor chose English.

Django's LocaleMiddleware follows the browser's Accept-Language, so a phone set to English would get a
half-English public-service portal. Here only an explicit choice (the language cookie set by the
switcher in the footer) changes the language.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class TamperedFileMiddleware:
    """A stored file that no longer matches its recorded SHA-256 (``core.integrity.TamperedFile``) is
    answered with a clear 409 page instead of the file or a server error (``core.downloads``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from motcua.core.downloads import tampered_response
        from motcua.core.integrity import TamperedFile

        return tampered_response() if isinstance(exception, TamperedFile) else None
