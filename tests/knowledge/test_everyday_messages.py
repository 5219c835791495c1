"""Genuine messages that used to look like scams to the rules, and the scams beside them that must still be seen.

Each case came from the genuine side of the training corpus (the rules' false alarms there) or from a fresh
training file written after the rules; the scam twin of each keeps the fix from going too far.
"""

import pytest

from knowledge.engine import Engine
from knowledge.indicators import Flag, IndicatorKind
from knowledge.statements import is_balance_notice
from knowledge.text import word_views
from knowledge.verdict import Level

RULES = Engine(learned=False)

GENUINE = {
    # a bank's balance notice quotes the payer's note ("ck tien dien nuoc", "trung thuong xo so")
    "statement-utility": "TK ****2137|29/06 17:08:50|+8816452 VND|SD 48838000 VND|MAI THANH KHOI ck tien dien nuoc T06",
    "statement-lottery": "Số dư TK 1279***343 +1,629,000 VND lúc 10/02 13:01:21. Nội dung: MBVCB.64061641.853949.LY "
    "TUAN TAI trung thuong xo so nha.CT tu 1765126651052 LY TUAN TAI toi 3108670276",
    "statement-dated": "VIETINBANK thong bao: 10-12-2025 23:45 TK...7094 +12.709.000d (MBVCB.69991670.585349.DUONG "
    "THUY PHUC ck tien dien nuoc T12.CT tu 2478577118955 DUONG THUY PHUC toi 2837997325) SD:122.924.000d",
    # "không lo mất kết nối" (no worry) is not "không lỗ" (no loss) when the message is typed with accents;
    # "chuyển vùng" is roaming, not a transfer
    "roaming": "[QC] Đi Nhật Bản không lo mất kết nối: gói chuyển vùng 5G150 chỉ 89.000đ/30 ngày, 4GB data. "
    "Soạn 5G150 gửi 191. TC gửi 199 để từ chối QC.",
    "roaming-bare": "[QC] Di Thai Lan khong lo mat ket noi: goi chuyen vung C120 chi 135.000d/ngay, 30GB data. "
    "Soan C120 gui 888. Tu choi nhan quang cao: soan DK DNC gui 5656.",
    # real brands' addresses are not look-alikes of a bank with a similar short name
    "insurer": "[QC] PVI: Bao hiem nha tu nhan phi chi tu 200.000d/nam, bao ve truoc chay no, thien tai. "
    "Chi tiet pvi.com.vn. De tu choi QC, soan TC gui 199 (0d).",
    "retailer": "[QC] AEON giảm 10% toàn bộ sữa và tã cho bé đến hết 20/04/2025. Mua online giao nhanh 2h tại "
    "aeon.com.vn. Từ chối nhận quảng cáo: soạn DK DNC gửi 5656.",
    "bank": "[QC] PVcomBank giảm 30% vé máy bay khi thanh toán bằng thẻ Visa Signature. Chi tiết tại "
    "pvcombank.com.vn. Để từ chối nhận QC, soạn TC gửi 199.",
    # family asking family for money, with nothing else around it
    "family-loan": "Em oi chi muon tam 3 trieu de dong tien vien phi cho chau, thu 6 anh ve chi tra em.",
    "mother": "Mẹ nói thật, tháng này mẹ hụt tiền, con gửi mẹ tạm 2 triệu đóng tiền điện nước được không?",
}

SCAMS = {
    # the same shapes with what makes them scams
    "loss-free": "Đầu tư cùng chuyên gia, cam kết không lỗ, lợi nhuận 30%/tháng. Nạp tối thiểu 5 triệu vào tài "
    "khoản sàn, inbox Zalo 0912 345 678 để vào nhóm.",
    "lookalike": "[Vietcombank] Tai khoan cua Quy khach bi tam khoa. Xac thuc lai tai vietcombamk.com.vn truoc 24h.",
    "stranded": "c ơi e đang ở bệnh viện với mẹ, e cần 5tr đóng viện phí mà ví e lỗi, c ck hộ e vào stk bạn e "
    "nhé, mai e trả c, e ko nghe máy đc vì đang trong phòng khám.",
}


@pytest.mark.parametrize("name", sorted(GENUINE))
def test_everyday_messages_stay_low(name):
    verdict = RULES.check(GENUINE[name])
    assert verdict.level is Level.LOW, (verdict.score, [r.code for r in verdict.reasons])


@pytest.mark.parametrize("name", sorted(SCAMS))
def test_their_scam_twins_are_still_seen(name):
    verdict = RULES.check(SCAMS[name])
    assert verdict.level is not Level.LOW, (verdict.score, [r.code for r in verdict.reasons])


def test_a_balance_notice_is_told_from_an_instruction():
    assert is_balance_notice(GENUINE["statement-utility"])
    assert not is_balance_notice("Tai khoan cua ban so du 5.000.000 -500.000, vui long xac minh tai day")
    assert not is_balance_notice("Em oi chuyen 2tr vao tk cho chi nhe")
    # a fake balance notice that pushes the reader to "return" the money is not a statement
    fake = "TK 0133***177 +15.000.000VND SD 15.300.000VND. ND: chuyen nham, vui long lien he 0868 442 196 de hoan tra"
    assert not is_balance_notice(fake)


def test_a_warning_in_office_english_reads_as_a_warning():
    text = "Heads-up mọi người: dạo này có nhiều page fake tuyển CTV 'làm nhiệm vụ like, đánh giá' rồi bắt nạp tiền."
    assert RULES.check(text).warning_context


def test_typing_with_accents_is_told_from_typing_without():
    assert word_views("Đi Thái Lan không lo mất kết nối").typed_with_accents
    assert not word_views("Di Thai Lan khong lo mat ket noi").typed_with_accents
    assert not word_views("ok nhé").typed_with_accents  # too short to tell


def test_a_date_is_not_an_account_and_a_transfer_reference_is_not_a_link():
    analysis = RULES.analyse(GENUINE["statement-dated"])
    accounts = [i.text for i in analysis.indicators if i.kind is IndicatorKind.ACCOUNT]
    assert not any(a.startswith("10-12-2025") for a in accounts)
    links = RULES.analyse(GENUINE["statement-lottery"]).indicators
    assert not [i for i in links if i.kind is IndicatorKind.URL]


def test_a_real_brand_is_official_and_its_look_alike_is_not():
    (link,) = [i for i in RULES.analyse(GENUINE["bank"]).indicators if i.kind is IndicatorKind.URL]
    assert link.has(Flag.OFFICIAL) and link.brand == "PVcomBank"
    (fake,) = [i for i in RULES.analyse(SCAMS["lookalike"]).indicators if i.kind is IndicatorKind.URL]
    assert fake.has(Flag.LOOKALIKE) and fake.brand == "Vietcombank"


def test_soft_signs_the_learned_layer_reads_as_genuine_stay_below_suspicious():
    text = "me oi con ck tien dien r nha, 780k. me k can ra buu dien dong nua"  # a son paid the electricity bill
    assert RULES.check(text).level is Level.MEDIUM  # the rules alone: a utility's words and a transfer
    verdict = Engine().check(text)
    assert verdict.level is Level.LOW
    assert [r.code for r in verdict.reasons][-1] == "learned_genuine"


def test_hard_evidence_is_never_held_back_by_the_learned_layer():
    text = "me oi con ck tien dien r nha, 780k. con gui ma OTP cho me, me doc lai ma cho con nhe"
    verdict = Engine().check(text)
    assert verdict.level is not Level.LOW
    assert "learned_genuine" not in [r.code for r in verdict.reasons]
