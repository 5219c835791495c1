"""Reply → Telegram HTML, keyboards and splitting (bot/telegram/render.py), without a server."""

from __future__ import annotations

import random

from bot.telegram.render import MAX_CAPTION, MAX_TEXT, fit, keyboard, plan, render_html, visible_length
from handlers.messages import USER_TEXT_CLOSE, USER_TEXT_OPEN, Button, Reply, quote_user_text

INJECTION = '<b>x</b>&amp;<script>alert("x")</script> *đậm* <a href="tg://x">y</a>'


def test_bold_and_plain_text_are_rendered_and_escaped() -> None:
    assert render_html("*Kết quả:* 3 < 5 & 7 > 2") == "<b>Kết quả:</b> 3 &lt; 5 &amp; 7 &gt; 2"


def test_quoted_user_text_is_escaped_and_never_formatted() -> None:
    html = render_html(f"Bạn gửi: {quote_user_text(INJECTION)}")
    assert html == (
        'Bạn gửi: &lt;b&gt;x&lt;/b&gt;&amp;amp;&lt;script&gt;alert("x")&lt;/script&gt; *đậm* '
        '&lt;a href="tg://x"&gt;y&lt;/a&gt;'
    )
    assert "<b>" not in html and "<script" not in html and "<a " not in html


def test_bold_may_span_quoted_text_without_formatting_inside_it() -> None:
    html = render_html(f"*Số {quote_user_text('*0912* <i>')} bị báo cáo*")
    assert html == "<b>Số *0912* &lt;i&gt; bị báo cáo</b>"


def test_stray_markers_and_placeholders_are_removed() -> None:
    assert render_html(f"a{USER_TEXT_OPEN}b\ue0000\ue001c") == "ab0c"  # no placeholder smuggled in


def test_long_text_is_split_on_lines_within_the_limit() -> None:
    text = "\n".join(f"• Dòng số {i}: " + "chữ " * 40 for i in range(200))
    pieces = fit(text, MAX_TEXT)
    assert len(pieces) > 1
    assert all(visible_length(p) <= MAX_TEXT for p in pieces)
    assert all(not p.startswith("\n") for p in pieces)


def test_emoji_heavy_text_fits_in_utf16_units() -> None:
    pieces = fit("🔴" * 5000, MAX_TEXT)
    assert all(visible_length(p) <= MAX_TEXT for p in pieces)
    assert sum(len(p) for p in pieces) == 5000


def test_a_text_that_fits_comes_out_as_the_line_by_line_split_would_give_it() -> None:
    """Short texts skip the line-by-line split; a blank line of `limit` spaces after the text forces it."""
    rnd = random.Random(7)
    parts = ["a", "bé ", " ", "\n", "\n\n", ".", "*", "🔴", USER_TEXT_OPEN, USER_TEXT_CLOSE]
    for _ in range(3000):
        text, limit = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 30))), rnd.randint(4, 40)
        if len(text) <= limit:
            assert fit(text, limit) == fit(f"{text}\n{' ' * limit}", limit), (text, limit)


def test_a_split_quote_stays_escaped_in_every_piece() -> None:
    replies = plan(Reply("Trích: " + quote_user_text("<b>" * 3000)), "1", "CanhGiacBot")
    assert len(replies) > 1
    assert all("<b>" not in out.html for out in replies)


def test_keyboard_callback_deep_link_and_urls() -> None:
    rows = (
        (Button("Đúng", "fb:abc:y"), Button("Quá dài", "x" * 65)),
        (Button("Chi tiết", deep_link="d_abc123"), Button("Web", url="https://canhbao.vn/a?b=1")),
        (Button("Xấu", url="javascript:alert(1)"), Button("Payload xấu", deep_link="a b")),
    )
    markup = keyboard(rows, "CanhGiacBot")
    assert markup is not None
    flat = [(b.text, b.callback_data, b.url) for row in markup.inline_keyboard for b in row]
    assert flat == [
        ("Đúng", "fb:abc:y", None),
        ("Chi tiết", None, "https://t.me/CanhGiacBot?start=d_abc123"),
        ("Web", None, "https://canhbao.vn/a?b=1"),
    ]


def test_callback_data_limit_is_in_bytes() -> None:
    assert keyboard(((Button("ok", "đ" * 32),),), "b") is not None  # 64 bytes
    assert keyboard(((Button("no", "đ" * 33),),), "b") is None  # 66 bytes


def test_plan_puts_reply_reference_first_and_buttons_last() -> None:
    reply = Reply(
        "\n".join("dòng " * 50 for _ in range(100)), buttons=((Button("A", "a:1"),),), reply_to_message_id="77"
    )
    outs = plan(reply, "-100", "bot")
    assert len(outs) > 1
    assert outs[0].reply_to == 77 and all(o.reply_to is None for o in outs[1:])
    assert outs[-1].markup is not None and all(o.markup is None for o in outs[:-1])


def test_plan_sends_elsewhere_without_a_foreign_reply_reference() -> None:
    [out] = plan(Reply("Chi tiết", chat_id="555", reply_to_message_id="9"), "-100", "bot")
    assert out.chat_id == "555" and out.reply_to is None


def test_plan_photo_with_caption_or_with_long_text() -> None:
    [photo] = plan(Reply("*Cảnh báo*", image_url="https://x.vn/a.png"), "1", "bot")
    assert photo.photo == "https://x.vn/a.png" and photo.html == "<b>Cảnh báo</b>"
    long = plan(Reply("chữ " * 400, image_url="https://x.vn/a.png"), "1", "bot")
    assert len("chữ " * 400) > MAX_CAPTION
    assert long[0].photo and long[0].html == "" and long[1].photo is None


def test_plan_edit_only_for_the_pressed_message() -> None:
    [edit] = plan(Reply("Đã xong", edit=True), "1", "bot", edit_message_id=42)
    assert edit.edit_message_id == 42
    [new] = plan(Reply("Đã xong", edit=True), "1", "bot")
    assert new.edit_message_id is None
