"""Vietnamese text folding for diacritics-free search.

People type "dang ky khai sinh" on phones and expect "Đăng ký khai sinh". ``fold_vi`` maps both to the
same key: NFC (macOS and "tổ hợp" keyboards send NFD), strip combining marks, đ→d, casefold, collapse
white space. The folded value is stored in shadow columns (``*_folded``) so the same plain
``icontains`` works on SQLite and PostgreSQL.
"""

import unicodedata

_D_TABLE = str.maketrans({"đ": "d", "Đ": "D"})


def fold_vi(text: str | None) -> str:
    """Return ``text`` without Vietnamese diacritics, lower-cased, with single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).translate(_D_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
