import pytest

from knowledge.vietqr import (
    NAPAS_GUID,
    PayloadError,
    QrKind,
    QrRisk,
    bank_by_bin,
    build_payload,
    crc16_ccitt_false,
    parse_tlv,
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
