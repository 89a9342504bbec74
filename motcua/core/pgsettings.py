"""PostgreSQL planner and memory settings for a few statements of a transaction."""

import contextlib
from collections.abc import Iterator

from django.db.backends.utils import CursorWrapper


@contextlib.contextmanager
def setting(cursor: CursorWrapper, name: str, value: str) -> Iterator[None]:
    """``name`` = ``value`` for the statements run inside, then back to what it was. Transaction-local
    (``set_config(…, true)``): the caller is in a transaction, and nothing outlives it even on error."""
    cursor.execute("SELECT current_setting(%s)", [name])
    (before,) = cursor.fetchone()
    cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
    yield
    cursor.execute("SELECT set_config(%s, %s, true)", [name, before])
