"""The small province of the indicator tests and its register fixtures (imported, not copied)."""

from motcua.indicators.reconciliation.tests.conftest import civil, labour, receiver  # noqa: F401
from motcua.indicators.tests.conftest import world  # noqa: F401  (fixture)
