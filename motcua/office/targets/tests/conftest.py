"""The small province of the indicator tests (``world``, imported, not copied)."""

from motcua.indicators.tests.conftest import world  # noqa: F401  (fixture)
