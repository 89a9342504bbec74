"""The one pagination of the API: ``?page=`` (from 1) and ``?page_size=`` (at most 100)."""

from ninja.pagination import PageNumberPagination

PAGE_SIZE = 50


class Pagination(PageNumberPagination):
    """``?page=`` (from 1) and ``?page_size=`` (at most 100); answers ``{"items": [...], "count": n}``."""
