"""The personas, the small province and the signed-in client of the office tests (imported, not copied)."""

from motcua.office.tests.conftest import (  # noqa: F401  (fixtures)
    _empty_cache,
    as_officer,
    leader,
    procedure,
    receiver,
    receiver_elsewhere,
    specialist,
    units,
)
