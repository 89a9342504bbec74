import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.payments.money import format_vnd, vnd_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (105, "Một trăm lẻ năm đồng"),
        (2_000, "Hai nghìn đồng"),
        (50_000, "Năm mươi nghìn đồng"),
        (125_000, "Một trăm hai mươi lăm nghìn đồng"),
        (1_000_000, "Một triệu đồng"),
        (1_005_000, "Một triệu không trăm lẻ năm nghìn đồng"),
        (2_021, "Hai nghìn không trăm hai mươi mốt đồng"),
    ],
)
def test_amount_in_words(amount, words):
    assert vnd_in_words(amount) == words


def test_format_vnd_uses_dots():
    assert format_vnd(1_250_000) == "1.250.000"


@given(st.integers(min_value=1, max_value=10**15 - 1))
def test_every_amount_reads_as_words_ending_in_dong(amount):
    text = vnd_in_words(amount)
    assert text.endswith(" đồng")
    assert text[0].isupper()
    assert "  " not in text
