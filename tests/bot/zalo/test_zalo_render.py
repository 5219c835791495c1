"""Plain-text rendering for Zalo and the per-chat memory of numbered choices."""

from __future__ import annotations

from zalo_bot import Bot

from bot.zalo.polling import ZaloEvent, parse_event
from bot.zalo.render import TEXT_LIMIT, ChoiceMemory, offered_to, render_reply, to_incoming
from handlers.messages import Button, ChatKind, Incoming, Photo, Platform, Reply, quote_user_text
from tests.fakes.zalo_api import text_event

HINT = "(Trả lời bằng số để chọn, ví dụ: 1)"


def test_markup_is_removed_and_lists_stay_readable() -> None:
    reply = Reply(f"*NGUY CƠ LỪA ĐẢO CAO*\n• Đường link: {quote_user_text('*not bold* <b>')}\n• Gọi 113")
    rendered = render_reply(reply, HINT)
    assert rendered.messages == ("NGUY CƠ LỪA ĐẢO CAO\n• Đường link: *not bold* <b>\n• Gọi 113",)
    assert rendered.choices == ()


def test_buttons_become_numbered_choices_under_the_text() -> None:
    yes, no, report = Button("👍 Đúng", "fb:s1:y"), Button("👎 Sai", "fb:s1:n"), Button("📣 Báo cáo", "rq:s1")
    rendered = render_reply(Reply("Kết quả", buttons=((yes, no), (report,))), HINT)
    assert rendered.messages == (f"Kết quả\n\n1. 👍 Đúng\n2. 👎 Sai\n3. 📣 Báo cáo\n{HINT}",)
    assert rendered.choices == (yes, no, report)


def test_a_start_link_is_a_choice_and_a_web_link_is_listed() -> None:
    details, site = Button("Xem chi tiết", deep_link="d_abc"), Button("Trang chủ", url="https://canhgiac.vn")
    rendered = render_reply(Reply("Cảnh báo", buttons=((details, site),)), HINT)
    assert rendered.choices == (details,)
    assert rendered.messages[0].splitlines()[2:] == ["1. Xem chi tiết", "• Trang chủ: https://canhgiac.vn", HINT]


def test_long_text_is_split_on_lines_within_the_limit() -> None:
    lines = [f"• Dòng số {i}: {'nội dung cảnh báo ' * 8}".strip() for i in range(60)]
    rendered = render_reply(Reply("\n".join(lines), buttons=((Button("OK", "x:1"),),)), HINT)
    assert len(rendered.messages) >= 3
    assert all(1 <= len(m) <= TEXT_LIMIT for m in rendered.messages)
    assert all(m.startswith("• Dòng số") for m in rendered.messages[:-1])  # cut between lines
    assert rendered.messages[-1].endswith(f"1. OK\n{HINT}")
    assert "\n".join(rendered.messages).count("• Dòng số") == 60


def test_choices_go_to_their_own_message_when_the_last_piece_is_full() -> None:
    text = "x" * (TEXT_LIMIT - 5)
    rendered = render_reply(Reply(text, buttons=((Button("Có", "a:1"),),)), HINT)
    assert rendered.messages == (text, f"1. Có\n{HINT}")


def test_image_and_empty_text() -> None:
    rendered = render_reply(Reply("", image_url="https://example.org/a.png"), HINT)
    assert rendered.messages == () and rendered.photo_url == "https://example.org/a.png"


def test_choice_memory_resolves_numbers_of_the_latest_reply() -> None:
    memory = ChoiceMemory()
    first, second = Button("A", "a:1"), Button("B", "b:1")
    memory.remember("c1", "u1", (first, second))
    assert memory.resolve("c1", "u1", " 2 ") is second
    assert memory.resolve("c1", "u1", "1") is first
    for answer in ("0", "3", "１", "2a", "-1", "", "0001"):
        assert memory.resolve("c1", "u1", answer) is None
    assert memory.resolve("other-chat", "u1", "1") is None
    memory.remember("c1", "u1", (second,))
    assert memory.resolve("c1", "u1", "1") is second and memory.resolve("c1", "u1", "2") is None


def test_choices_belong_to_the_member_they_were_offered_to_or_to_the_whole_chat() -> None:
    memory = ChoiceMemory()
    mine, details = Button("A", "a:1"), Button("Chi tiết", deep_link="d_abc")
    memory.remember("g1", "u1", (mine,))
    assert memory.resolve("g1", "u2", "1") is None  # another member's "1" is not a press
    memory.remember("g1", offered_to((details,), "u3"), (details,))  # a link: anyone in the chat may open it
    assert memory.resolve("g1", "u2", "1") is details and memory.resolve("g1", "u1", "1") is details
    memory.remember("g1", "u1", (mine,))
    assert memory.resolve("g1", "u1", "1") is mine  # the latest reply offered to them wins
    assert offered_to((mine, details), "u1") == "u1"


def test_choice_memory_expires_and_is_bounded() -> None:
    now = [0.0]
    memory = ChoiceMemory(max_entries=3, ttl_seconds=60, clock=lambda: now[0])
    for chat in ("a", "b", "c", "d"):
        memory.remember(chat, "u", (Button("X", "x:1"),))
    assert len(memory) == 3 and memory.resolve("a", "u", "1") is None  # the oldest was dropped
    assert memory.resolve("d", "u", "1") is not None
    now[0] = 61.0
    assert memory.resolve("d", "u", "1") is None and len(memory) == 2


def _event(**message_changes: object) -> ZaloEvent:
    raw = text_event("chat-1", "xin chào", user_id="user-1", message_id="m-1")
    raw["message"].update(message_changes)
    event = parse_event(raw, Bot("1:x"))
    assert event is not None
    return event


def test_an_event_becomes_an_incoming() -> None:
    incoming = to_incoming(_event(), ChoiceMemory())
    assert incoming == Incoming(Platform.ZALO, "chat-1", ChatKind.PRIVATE, "user-1", "Người dùng", "xin chào", "m-1")


def test_chat_types_senders_and_images() -> None:
    for chat_type, kind in (
        ("GROUP", ChatKind.GROUP),
        ("group", ChatKind.GROUP),
        ("COMMUNITY", ChatKind.GROUP),
        ("PRIVATE", ChatKind.PRIVATE),
    ):
        incoming = to_incoming(_event(chat={"id": "chat-1", "chat_type": chat_type}), ChoiceMemory())
        assert incoming is not None and incoming.chat_kind is kind
    docs_sender = to_incoming(_event(**{"from": {"id": "user-2", "first_name": "Lan"}}), ChoiceMemory())
    assert docs_sender is not None and (docs_sender.user_id, docs_sender.display_name) == ("user-2", "Lan")
    assert to_incoming(_event(**{"from": {"id": "bot-9", "is_bot": True}}), ChoiceMemory()) is None
    image = to_incoming(_event(text=None, photo_url="https://zalo.example/p.jpg", caption="xem giúp"), ChoiceMemory())
    assert image is not None and image.photo == Photo("https://zalo.example/p.jpg", "xem giúp") and image.text == ""


def test_a_number_answers_the_pending_choices() -> None:
    choices = ChoiceMemory()
    choices.remember("chat-1", "user-1", (Button("Đúng", "fb:s:y"), Button("Chi tiết", deep_link="d_abc")))
    pressed = to_incoming(_event(text="1"), choices)
    assert pressed is not None and (pressed.text, pressed.callback_data) == ("", "fb:s:y")
    linked = to_incoming(_event(text="2"), choices)
    assert linked is not None and (linked.text, linked.callback_data, linked.deep_link) == ("", None, "d_abc")
    plain = to_incoming(_event(text="3"), choices)
    assert plain is not None and (plain.text, plain.callback_data) == ("3", None)
