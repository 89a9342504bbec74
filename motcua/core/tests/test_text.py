import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from motcua.core.text import fold_vi


def test_fold_vi_strips_marks_and_d_bar():
    assert fold_vi("Đăng ký khai sinh") == "dang ky khai sinh"
    assert fold_vi("  CHỨNG   THỰC bản sao ") == "chung thuc ban sao"


def test_fold_vi_equates_nfd_and_nfc_input():
    composed = unicodedata.normalize("NFC", "Hộ tịch")
    decomposed = unicodedata.normalize("NFD", "Hộ tịch")
    assert composed != decomposed
    assert fold_vi(decomposed) == fold_vi(composed) == "ho tich"


@given(st.text())
def test_fold_vi_is_idempotent(text):
    assert fold_vi(fold_vi(text)) == fold_vi(text)
