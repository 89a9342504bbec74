"""Amounts as printed on receipts: ``50.000 đồng`` and in words (``Năm mươi nghìn đồng``); pure."""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ")


def format_vnd(amount: int) -> str:
    """``1250000`` → ``1.250.000`` (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")


def _three(number: int, *, full: bool) -> list[str]:
    """Read 0–999; ``full`` reads leading zeros ("không trăm lẻ năm") inside a larger number."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("lẻ")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def vnd_in_words(amount: int) -> str:
    """The amount in Vietnamese words with "đồng", capitalised, as written on a receipt (bằng chữ)."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    rest = amount
    while rest:
        groups.append(rest % 1000)
        rest //= 1000
    if len(groups) > len(SCALES):
        raise ValueError("amount too large")
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words += _three(group, full=bool(words))
        if SCALES[index]:
            words.append(SCALES[index])
    text = " ".join(words) + " đồng"
    return text[0].upper() + text[1:]
