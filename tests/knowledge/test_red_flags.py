"""Red flags, negation look-alikes and extraction details the corpus relies on."""

from dataclasses import replace
from pathlib import Path

import pytest

from knowledge.engine import Engine
from knowledge.evaluation import load_corpus
from knowledge.indicators import Flag, IndicatorKind
from knowledge.library import load_shipped_library
from knowledge.signals import leading_words, load_signal_rules
from knowledge.verdict import Level

ENGINE = Engine()


def _codes(text):
    return {r.code for r in ENGINE.check(text).reasons if r.points}


def test_app_words_are_not_a_negation():
    # "ứng dụng" folds to "ung dung", which contains the letters of "đừng": the request must still count.
    codes = _codes("Anh cài giúp em ứng dụng UltraViewer trên máy tính, đọc em mã ID và mật khẩu nhé.")
    assert {"remote_app", "credential_request"} <= codes


RULES = Engine(learned=False)


@pytest.mark.parametrize(
    "text,advice",
    [
        # "không cần" before a code or a login is advice, though it is a selling point before "thẩm định"
        ("Chỉ cần bấm nút bình chọn, không cần đăng nhập hay nhập mã OTP đâu ạ.", {"otp_request"}),
        ("Kiem tra soan KTTK gui 900. Khong can dang ky hay cung cap ma xac nhan.", {"otp_request"}),
        ("chỉ cần like ảnh số 12 trên page của trường thôi, ko cần đăng nhập link nào", {"credential_request"}),
        # an office's disclaimer just before the request, though "cơ quan … không" folds like a question
        ("Co quan thue khong yeu cau cung cap mat khau, OTP qua dien thoai.", {"otp_request", "credential_request"}),
        # a bank's long disclaimer: "never calls or texts asking to install an app or give the OTP"
        (
            "TPBank: Quy khach da cap nhat sinh trac hoc thanh cong tren ung dung TPBank luc 09:26. TPBank khong bao "
            "gio goi dien, nhan tin yeu cau cai ung dung hay cung cap ma OTP.",
            {"otp_request"},
        ),
    ],
)
def test_advice_is_not_a_request(text, advice):
    signals = RULES.analyse(text).signals
    assert not advice & {h.rule.id for h in signals.hits} and advice <= set(signals.negated)


@pytest.mark.parametrize(
    "text",
    [
        "Vay 50 trieu khong can tham dinh, chi can CCCD, gui ma OTP cho em de giai ngan",
        "Không cần ra quầy, anh đọc mã OTP vừa gửi về máy cho em để hủy gói là xong",
    ],
)
def test_a_selling_point_does_not_hide_the_request_after_it(text):
    assert "otp_request" in {h.rule.id for h in RULES.analyse(text).signals.hits}


def test_english_otp_sms_is_a_code_not_a_request():
    text = "VIB: Your OTP is 860142 de xac nhan giao dich MyVIB. Do not share OTP voi bat ky ai."
    assert "otp_request" not in _codes(text) and ENGINE.check(text).level is Level.LOW


def test_genuine_otp_sms_is_low():
    text = "BIDV: OTP 318450 dung de xac nhan thanh toan 1.250.000 VND tai SHOPEE. Khong cung cap OTP cho nguoi khac."
    assert ENGINE.check(text).level is Level.LOW


def test_money_amount_is_not_a_phone_number():
    analysis = ENGINE.analyse("Quy khach da nhan khoan giai ngan 10.000.000d, den han tra 13.500.000d.")
    kinds = [i.kind for i in analysis.indicators]
    assert IndicatorKind.PHONE not in kinds
    assert kinds.count(IndicatorKind.MONEY) == 2


def test_spaced_out_link_is_found():
    analysis = ENGINE.analyse("Nhan boi thuong tai v n a - b o i t h u o n g [.] t o p trong 24h.")
    links = [i for i in analysis.indicators if i.kind is IndicatorKind.URL]
    assert links and links[0].value == "vna-boithuong.top"
    assert links[0].has(Flag.OBFUSCATED) and links[0].has(Flag.ABUSED_TLD)


def test_official_platform_link_is_not_a_sign_of_a_notice():
    verdict = ENGINE.check("Chỉ cần follow và like video, mỗi lượt like nhận 15.000đ. Thêm Telegram t.me/viec247 nhé.")
    assert not verdict.warning_context


@pytest.mark.parametrize(
    "text",
    [
        "Bạn đã hoàn thành nhiệm vụ, hệ thống ghi nhận 12 triệu. Để rút tiền bạn cần nạp thêm 5 triệu.",
        "Chúc mừng em được nhận học bổng 30 triệu. Em chuyển phí xác nhận hồ sơ 1 triệu để nhận học bổng nhé.",
        "Anh ơi em bên ngân hàng, anh chụp giúp em 2 mặt căn cước và ảnh chân dung gửi qua zalo nhé.",
    ],
)
def test_method_or_claim_with_a_request_is_flagged(text):
    assert ENGINE.check(text).level is not Level.LOW


@pytest.mark.parametrize(
    "text",
    [
        "Trung tâm Dịch vụ việc làm: hồ sơ trợ cấp thất nghiệp của bà Mai đã duyệt, "
        "tiền được chuyển vào tài khoản đã đăng ký.",
        "Người nộp thuế thực hiện quyết toán trên ứng dụng eTax Mobile trước ngày 30/6.",
        "Agribank: Ma xac thuc cua Quy khach la 447309. Vui long khong tiet lo ma cho bat ky ai.",
        "fb t bi hack r, ai nhan tin muon tien hay xin ma otp thi dung ck nha",
        # An organisation saying what it never asks for, inside the very phrase a scam would use.
        "BHXH thành phố thông báo: cơ quan bảo hiểm xã hội không yêu cầu cung cấp mã OTP khi chi trả lương hưu.",
        # A one-time code written in two groups, used for what it was sent for.
        "VIB: Ma OTP 581 204 de xac nhan giao dich chuyen tien. Khong cung cap ma cho bat ky ai.",
        # "trước" followed by a date is a deadline, not a fee paid in advance.
        "Cục Thuế nhắc: nộp hồ sơ quyết toán thuế TNCN trước 31/3 trên thuedientu.gdt.gov.vn.",
        # Money that will be paid to the reader is not a request to pay.
        "Cuc Thue: so tien hoan thue TNCN se chuyen vao tai khoan ban da khai trong ho so de nghi hoan.",
        # A code the bank delivers ("... là 581027") is not a request for one, whatever it is for.
        "TPBank: Ma OTP de kich hoat the 9704xxxx1234 la 736201. Ma co hieu luc 5 phut.",
        # Entering a wrong PIN is what happened, not what is asked.
        "ACB: The xxxx5512 bi tam khoa do nhap sai ma PIN 3 lan. Vui long mo khoa tren ung dung ACB ONE.",
        "VietinBank: Tai khoan 1088xxxx3412 da bi tam khoa dang nhap do nhap sai mat khau qua 5 lan.",
        # "tiếp nhận tờ khai" (received the return) is not "nhắn tớ" (text me).
        "Cơ quan thuế đã tiếp nhận tờ khai thuế môn bài năm 2027 của hộ kinh doanh Nguyễn Thị Hoa.",
        # "giao dịch chuyển tiền" names a kind of transaction; nobody is asked to transfer.
        "Sacombank: Tu 01/01 giao dich chuyen tien tren 10 trieu dong can xac thuc khuon mat tren ung dung.",
    ],
)
def test_notices_and_advice_stay_low(text):
    assert ENGINE.check(text).level is Level.LOW


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\b(cung cap|gui|doc)( \w+){0,4} otp\b", {"cung", "gui", "doc"}),
        (r"\bapk\b", {"apk"}),
        (r"\bchia se man hinh\b", {"chia"}),
        (r"\b(?<!duoc )(?<!da )(chuyen|nop)( \w+){0,3} (tien|phi)", {"chuyen", "nop"}),
        (r"\b(otp|ma xac thuc)(?! (la )?\d{4})( \w+){0,4} (cho|gui)", {"otp", "ma"}),
        (r"\bmuon (tam|gap)? ?\d+", {"muon"}),
        (r"\bapk", None),  # "apk" could be the start of a longer word
        (r"\b(any ?desk|team ?viewer)\b", None),  # "anydesk" is one word
        (r"\b(ma|x?) y", None),
        (r"\b(tam|gap)? ?\d+", None),  # the group is optional
        (r"(otp)\b", None),
        # A group that ends in a look-ahead with nothing after it: the gate must still be found, and found at all.
        (r"\b(zalo|tele)(?! ?chinh thuc)", None),
        (r"\b(zalo(?!pay)|telegram)\b(?! chinh)", {"zalo", "telegram"}),
        (r"\b(?<!da unfinished", None),
    ],
)
def test_leading_word_gates(pattern, expected):
    assert leading_words(pattern) == (frozenset(expected) if expected is not None else None)


@pytest.mark.slow
def test_leading_word_gates_never_hide_a_match():
    """Every gated pattern that matches a corpus or signature text has one of its words in that text."""
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    texts = [m.text for m in load_corpus(sorted(corpus.glob("*.jsonl")))]
    texts += [t for s in load_shipped_library() for t in (*s.examples, *s.counter_examples)]
    rules = load_signal_rules()
    gated = [(p, g) for rule in rules.rules for p, g in zip(rule.patterns, rule.gates, strict=True) if g is not None]
    gated += [(p, g) for p, g in zip(rules.warnings, rules.warning_gates, strict=True) if g is not None]
    assert len(gated) >= 80
    matched = 0
    for text in texts:
        folded = ENGINE.analyse(text).views.clauses
        words = set(folded.split())
        for pattern, gate in gated:
            if pattern.search(folded):
                matched += 1
                assert not gate.isdisjoint(words), (pattern.pattern, text)
    assert matched > 500
    # And the gated scan reports exactly what a plain scan of every pattern reports.
    plain = replace(rules, rules=tuple(replace(r, gates=()) for r in rules.rules), warning_gates=())
    for text in texts:
        folded = ENGINE.analyse(text).views.clauses
        gated_report, plain_report = rules.detect(folded), plain.detect(folded)
        assert [(h.rule.id, h.evidence) for h in gated_report.hits] == [
            (h.rule.id, h.evidence) for h in plain_report.hits
        ]
        assert (gated_report.negated, gated_report.warning_markers) == (
            plain_report.negated,
            plain_report.warning_markers,
        )


@pytest.mark.parametrize(
    "text,flags",
    [
        (
            "Grandma, it's Kevin. I was arrested after an accident and need bail money wired today. Please don't tell "
            "Mom and Dad. Transfer to my lawyer's account at Techcombank.",
            {"threat", "secrecy", "personal_account"},
        ),
        (
            "This is Global Express Courier. To release your parcel you must pay the customs clearance fee of 2,500 "
            "USD. Reply within 24 hours.",
            {"advance_fee", "urgency"},
        ),
        ("Please send me the verification code we just sent to your phone", {"otp_request"}),
        ("VIP signals, 95% win rate. Deposit 1,000 USDT now, DM @CryptoKing_VN", {"too_good", "money_request"}),
        ("Hi, nice to meet you! Add me on WhatsApp so we can chat more", {"move_channel"}),
    ],
)
def test_english_red_flags(text, flags):
    assert flags <= {h.rule.id for h in RULES.analyse(text).signals.hits}


@pytest.mark.parametrize(
    "text",
    [
        "Your Google verification code is 483920. Don't share this code with anyone.",
        "Hi guys, rent for December is 18,000,000 VND total, so 4.5m each. Please transfer to me by Friday.",
        "Your PayPal account has received a payment of $85.00 USD from Sarah Miller.",
    ],
)
def test_everyday_english_stays_low(text):
    assert ENGINE.check(text).level is Level.LOW


def test_a_lenders_due_reminder_is_not_the_illegal_collectors_script():
    reminder = (
        "BIDV: Quý khách có khoản vay tiêu dùng đến hạn trả nợ gốc ngày 30/11/2025, số tiền 5.000.000đ. "
        "Vui lòng nộp tiền vào tài khoản thanh toán để hệ thống tự động thu nợ."
    )
    threat = (
        "Chào phòng nhân sự, nhân viên Hằng của công ty đang nợ app vay 9 triệu quá hạn. Đề nghị công ty khấu trừ "
        "lương để thanh toán, nếu không chúng tôi sẽ gửi văn bản lên ban giám đốc."
    )
    assert "method_with_request" not in _codes(reminder) and RULES.check(reminder).level is Level.LOW
    assert {"threat", "method_with_request"} <= {r.code for r in RULES.check(threat).reasons}


def test_a_payout_notice_asks_nothing_but_a_fake_payout_leads_somewhere():
    notice = "Cuc Thue: so tien hoan thue TNCN 2.315.000d da duoc chuyen vao tai khoan ban da khai trong to khai."
    fake = (
        "BHXH: Ho so tro cap that nghiep cua ban da duyet, tien se duoc chuyen vao tai khoan da dang ky sau khi "
        "xac thuc tai bhxh-chitra.top trong hom nay."
    )
    assert ENGINE.check(notice).level is Level.LOW
    assert ENGINE.check(fake).level is not Level.LOW


def test_a_call_retold_in_the_first_person_is_not_a_warning():
    retold = "Người gọi xưng là cán bộ công an quận, nói tài khoản của tôi liên quan vụ án, bảo chuyển tiền để xác minh"
    warning = "Cảnh giác với kẻ xưng là cán bộ công an gọi điện yêu cầu chuyển tiền để xác minh"
    assert "xung la" not in RULES.analyse(retold).signals.warning_markers
    assert "xung la" in RULES.analyse(warning).signals.warning_markers


@pytest.mark.parametrize(
    "text,flag",
    [
        ("Exclusive for new players: 200% welcome bonus up to 10,000,000 VND, sign up today", "too_good"),
        ("Remote reviewers wanted, earn 300,000 VND per review, no experience needed", "too_good"),
    ],
)
def test_english_lures(text, flag):
    assert flag in {h.rule.id for h in RULES.analyse(text).signals.hits}


def test_an_english_call_back_to_a_premium_number_is_the_scam():
    text = "You have a missed call about your parcel. Please call back 1900 6612 88 to hear the message."
    assert "premium_callback" in {r.code for r in RULES.check(text).reasons}


def test_a_quoted_script_is_retold_not_spoken():
    warning = (
        'mọi người ơi có acc giả admin nhắn riêng bảo "bạn được chọn nhận quà tri ân, chuyển 99k phí ship". '
        "Admin không nhắn riêng ai cả."
    )
    memo = 'Chuyển vào tài khoản 0965382114 MB Bank, nội dung "Ung ho mien Trung dot 2" giúp mình.'
    assert RULES.check(warning).warning_context
    assert not RULES.check(memo).warning_context  # a transfer note in quotes is no warning
