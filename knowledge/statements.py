"""Account statements and payout notices: a balance-change notice quotes the payer's note, which is no request.

"TK 0133***177 +9.687.000VND SD 84.383.966VND ... NGUYEN TUAN MINH ck tien dien nuoc" tells the owner that money
arrived; the words after the amount are what the payer typed. Read as a message, they look like a transfer request
("ck tien …") or a prize ("trung thuong xo so"). A notice of this shape that carries no contact to act on (no link
or number beyond the bank's own) is a statement, and its soft signs do not count. A fake balance notice that
pushes the reader to "return" money carries a number or a link, so it is not treated as one.

A payout notice ("hồ sơ trợ cấp thất nghiệp đã duyệt, tiền được chuyển vào tài khoản đã đăng ký") tells the reader
that money will reach the account they registered. With no contact and no request beside it there is nothing for
the reader to do, which is what a fake payout always needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.analysis import Analysis
from knowledge.indicators import Flag, IndicatorKind
from knowledge.tones import fold

# A balance after the change: "SD 84.383.966VND", "Số dư: 1,2tr", "so du TK ... la 5.000.000".
_BALANCE = re.compile(r"(?<![a-z])(sd|sdc|sdcuoi|so du|s/d|bal(ance)?)(?![a-z])[^0-9|]{0,12}\d[\d.,]*")
# A signed change of the account: "+9.687.000VND", "-1tr2", "tang 569,000VND", "PS: +500,000".
_CHANGE = re.compile(r"(^|[\s|:(])([+-] ?\d[\d.,]*\s?(vnd|d|dong|tr|k)?|(tang|giam|ps) ?[+-]? ?\d[\d.,]*)(?![\d])")
_ACCOUNT = re.compile(r"(?<![a-z])(tk|tai khoan|stk|acc(ount)?|the)(?![a-z])")
# Words a bank's own notice has no reason to use: an instruction to the reader is not a statement.
_INSTRUCTION = re.compile(
    r"(?<![a-z])(vui long|hay|yeu cau|de nghi|lien he|lh|xac minh|xac thuc|dang nhap|truy cap|bam|nhan vao|goi)"
    r"(?![a-z])"
)
MAX_CHARS = 320  # balance notices are one SMS


def is_balance_notice(text: str) -> bool:
    """True for a text shaped like a bank's balance-change notice (account, signed change, new balance)."""
    if len(text) > MAX_CHARS:
        return False
    folded = fold(text.lower())
    return bool(
        _BALANCE.search(folded)
        and _CHANGE.search(folded)
        and _ACCOUNT.search(folded)
        and not _INSTRUCTION.search(folded)
    )


# Money moving to the reader's own, already registered account.
_TO_OWN_ACCOUNT = re.compile(
    r"\b(duoc|se duoc|se|da duoc|da) (chuyen|chi tra|chi|hoan|tra|thanh toan|giai ngan)( \w+){0,2} (vao|ve|qua) "
    r"(so )?tai khoan( ca nhan)? (da dang ky|dang ky|ong ba da dang ky|ban da (khai|dang ky)|cua (ong|ba|quy khach|ban)"
    r"|nguoi nop thue da khai)\b"
)


def is_payout_notice(folded: str) -> bool:
    """True for a folded text saying that money will be paid into the reader's own registered account."""
    return len(folded) <= MAX_CHARS and bool(_TO_OWN_ACCOUNT.search(folded))


def is_statement(analysis: Analysis, requests: Iterable[str]) -> bool:
    """A bank's balance-change notice, or a notice that money will be paid into the reader's registered account
    asking for none of `requests` (red-flag codes), with no contact to act on beyond organisations' own."""
    contacts = [
        i
        for i in analysis.indicators
        if i.kind in (IndicatorKind.URL, IndicatorKind.PHONE)
        and not i.has(Flag.OFFICIAL)
        and not i.has(Flag.INVALID)
        and not (i.kind is IndicatorKind.PHONE and i.text[:1].isdigit() and not i.text.startswith(("0", "84")))
    ]  # digits written without a leading 0 or +84 in a statement are the payer's or payee's account
    if contacts:
        return False
    if is_balance_notice(analysis.text):
        return True
    # A payout notice: nothing asked (the payer's note in a balance notice may read like a request; this may not).
    accounts = any(i.kind is IndicatorKind.ACCOUNT for i in analysis.indicators)
    asked = any(analysis.signals.has(code) for code in requests)
    return not accounts and not asked and is_payout_notice(analysis.views.clauses)
