import pytest

from knowledge.engine import Engine
from knowledge.verdict import HIGH_AT, MEDIUM_AT, Level, Reputation
from knowledge.vietqr import (
    NAPAS_GUID,
    PayloadError,
    QrKind,
    QrRisk,
    bank_by_bin,
    build_payload,
    crc16_ccitt_false,
    parse_tlv,
    qr_evidence,
    qr_risks,
    read_qr,
)


def tlv(*objects: tuple[str, str]) -> str:
    return "".join(f"{tag}{len(value):02d}{value}" for tag, value in objects)


def vietqr(bin_="970436", account="0011004455667", amount="2000000", purpose="NHAN THUONG TRI AN", name=""):
    beneficiary = tlv(("00", bin_), ("01", account))
    objects = [
        ("00", "01"),
        ("01", "12"),
        ("38", tlv(("00", NAPAS_GUID), ("01", beneficiary), ("02", "QRIBFTTA"))),
        ("53", "704"),
    ]
    if amount:
        objects.append(("54", amount))
    objects.append(("58", "VN"))
    if name:
        objects.append(("59", name))
    if purpose:
        objects.append(("62", tlv(("08", purpose))))
    return build_payload(objects)


def test_crc16_ccitt_false_check_value():
    assert crc16_ccitt_false(b"123456789") == 0x29B1  # the catalogued check value of CRC-16/CCITT-FALSE


def test_parses_a_signed_vietqr():
    code = read_qr(vietqr(name="NGUYEN VAN HUNG"))
    assert code.kind is QrKind.PAYMENT and code.crc_valid
    assert code.bank is not None and code.bank.short == "Vietcombank" and code.bank.bin == "970436"
    assert (code.account, code.amount, code.currency, code.country) == ("0011004455667", 2_000_000, "704", "VN")
    assert (code.name, code.purpose) == ("NGUYEN VAN HUNG", "NHAN THUONG TRI AN")


def test_a_tampered_digit_breaks_the_checksum():
    payload = vietqr()
    tampered = payload.replace("0011004455667", "0011004455668")
    code = read_qr(tampered)
    assert code.kind is QrKind.PAYMENT and not code.crc_valid
    assert QrRisk.DAMAGED in qr_risks(code, "")


@pytest.mark.parametrize(
    "bin_,short",
    [
        ("970436", "Vietcombank"),
        ("970415", "VietinBank"),
        ("970418", "BIDV"),
        ("970405", "Agribank"),
        ("970407", "Techcombank"),
        ("970422", "MB"),
        ("970416", "ACB"),
        ("970432", "VPBank"),
        ("970423", "TPBank"),
        ("970403", "Sacombank"),
    ],
)
def test_bank_table(bin_, short):
    bank = bank_by_bin(bin_)
    assert bank is not None and bank.short == short and bank.name


def test_unknown_bin_is_shown_as_its_number():
    code = read_qr(vietqr(bin_="123456"))
    assert code.bank is not None and code.bank.short == "123456"


def test_links_and_text():
    assert read_qr("https://vcb-hotro.vip/huy").kind is QrKind.LINK
    assert read_qr("vietcombank-xacthuc.top/login").kind is QrKind.LINK
    assert read_qr("Chúc mừng năm mới").kind is QrKind.TEXT
    assert read_qr("000201 not really a payload").kind is QrKind.TEXT


def test_malformed_tlv_is_refused():
    with pytest.raises(PayloadError):
        parse_tlv("0002")
    with pytest.raises(PayloadError):
        parse_tlv("00020101xx")


def test_a_code_to_receive_money_is_flagged():
    code = read_qr(vietqr(purpose="THANH TOAN"))
    assert QrRisk.TO_RECEIVE in qr_risks(code, "Quét mã QR để nhận tiền hoàn thuế")
    assert QrRisk.TO_RECEIVE in qr_risks(read_qr(vietqr(purpose="NHAN THUONG")), "")
    assert qr_risks(code, "Thanh toán đơn hàng #123") == ()


def test_account_differing_from_the_text_is_flagged():
    code = read_qr(vietqr(account="0011004455667", purpose=""))
    assert QrRisk.ACCOUNT_DIFFERS in qr_risks(code, "Chuyển khoản vào STK 1903 5566 7788 01 Techcombank")
    assert QrRisk.ACCOUNT_DIFFERS not in qr_risks(code, "STK 0011004455667 Vietcombank")
    assert QrRisk.ACCOUNT_DIFFERS not in qr_risks(code, "Quét mã để thanh toán")


def test_link_codes_carry_no_payment_risks():
    assert qr_risks(read_qr("https://vcb-hotro.vip/huy"), "nhận tiền") == ()


def evidence_for(payload: str, text: str, reputation=None):
    code = read_qr(payload)
    return qr_evidence(code, qr_risks(code, text), reputation)


def test_a_code_presented_to_receive_money_is_evidence_naming_bank_masked_account_and_amount():
    [reason] = evidence_for(vietqr(bin_="970422", account="0398765432"), "Quét mã để nhận thưởng")
    assert reason.code == "qr_to_receive" and reason.points >= HIGH_AT
    assert "MB ***5432, 2.000.000 đồng" in reason.text_vi and "MB ***5432, 2,000,000 VND" in reason.text_en
    assert "0398765432" not in reason.text_vi + reason.text_en + reason.evidence


@pytest.mark.parametrize(
    "text,purpose",
    [
        ("Thanh toán đơn hàng DH20240815, tổng 350.000 đồng", "THANH TOAN DH20240815"),
        ("Chuyển khoản để nhận hàng trong ngày", "DAT HANG"),
    ],
)
def test_paying_for_goods_is_no_evidence(text, purpose):
    assert evidence_for(vietqr(purpose=purpose), text) == ()


@pytest.mark.parametrize(
    "text", ["Quét mã QR để giải ngân khoản vay", "Hoàn tiền đơn hàng bị hủy: quét mã", "Nhận 500k khi quét mã"]
)
def test_receive_words_in_the_text(text):
    assert [r.code for r in evidence_for(vietqr(purpose="TT"), text)] == ["qr_to_receive"]


def test_a_code_paying_another_account_than_the_text_names():
    text = "Chuyển khoản STK 0071000123456 Vietcombank"
    [reason] = evidence_for(vietqr(account="1903556677880", purpose="TT"), text)
    assert reason.code == "qr_account_differs" and "Vietcombank ***7880" in reason.text_vi
    assert evidence_for(vietqr(account="0071000123456", purpose="TT"), text) == ()
    # One digit read differently is OCR, not a swapped code.
    assert evidence_for(vietqr(account="0071000123456", purpose="TT"), text.replace("0071000", "0071080")) == ()


def test_a_verified_or_often_reported_account():
    payload = vietqr(purpose="TT")
    [verified] = evidence_for(payload, "", Reputation("scam"))
    assert verified.code == "verified_scam"
    [reported] = evidence_for(payload, "", Reputation("reported", 3))
    assert reported.code == "reported" and "3" in reported.text_vi
    assert evidence_for(payload, "", Reputation("reported", 2)) == ()
    assert evidence_for(payload, "", Reputation("safe")) == ()


def test_evidence_enters_the_score_as_hard_evidence():
    engine = Engine(learned=False)
    text = "Chúc mừng bạn trúng thưởng! Quét mã QR để nhận tiền thưởng"
    plain = engine.check(text)
    evidence = evidence_for(vietqr(bin_="970422", account="0398765432"), text)
    scored = engine.score(engine.analyse(text), {}, evidence)
    assert plain.level is not Level.HIGH and scored.level is Level.HIGH
    assert scored.reasons[0].code == "qr_to_receive"


def test_reports_beside_the_text_share_the_reports_cap():
    engine = Engine(learned=False)
    text = "Chuyển 2 triệu vào STK 1903556677880 Techcombank"
    reputation = {("account", "1903556677880"): Reputation("reported", 9)}
    reported = evidence_for(vietqr(purpose="TT", account="0011004455667"), "", Reputation("reported", 9))
    alone = engine.score(engine.analyse(text), reputation)
    together = engine.score(engine.analyse(text), reputation, reported * 4)
    points = sum(r.points for r in together.reasons if r.code == "reported")
    assert points <= MEDIUM_AT and together.score <= alone.score + MEDIUM_AT
