"""Officers' library changes reach every process on the same database within five seconds, without a restart.

Two apps on one SQLite (and, when configured, PostgreSQL) database stand for two running processes: each has its
own engine and connections. Time is passed in: the second process looks again once five seconds have passed.
"""

from bot.app import build_app
from handlers.risk import REFRESH_SECONDS
from handlers.signature_fields import ADD_ORDER
from tests.conversation import Conversation
from tests.factories import OpenDatabase, settings_for, t
from tests.fakes.clocks import FrozenClock
from tests.signature_answers import ANSWERS, CITIZEN_TEXT, NEW_ID

SCAM = "Nhà cái uy tín số 1, nạp đầu tặng 100%, rút tiền siêu tốc, 1 vòng cược rút max"


def top_method(app, text=SCAM):
    methods = app.deps.risk.engine.check(text).methods
    return methods[0].id if methods else None


async def test_a_method_taken_out_in_one_process_is_out_of_the_other_within_five_seconds(open_sql: OpenDatabase):
    clock = FrozenClock()
    first_db, second_db = await open_sql(), await open_sql()
    first = await build_app(settings_for(), clock, repos=first_db.repos, salt=b"s")
    second = await build_app(settings_for(), clock, repos=second_db.repos, salt=b"s")
    officer, citizen = Conversation(first, user_id="1"), Conversation(second, user_id="200")
    try:
        await officer.say("/sig_disable gambling")
        assert top_method(first) != "gambling"
        await citizen.say(SCAM)
        assert top_method(second) == "gambling"  # within the five seconds the second still uses what it loaded

        clock.advance(seconds=REFRESH_SECONDS)
        await citizen.say(SCAM)  # the next check looks, sees the change and rebuilds
        assert top_method(second) != "gambling"
        assert "gambling" not in {s.id for s in second.deps.risk.signatures}

        await officer.say("/sig_enable gambling")
        clock.advance(seconds=REFRESH_SECONDS)
        await citizen.say(SCAM)
        assert top_method(second) == "gambling"
    finally:
        await first.close()
        await second.close()
        await first_db.close()
        await second_db.close()


async def test_a_method_added_in_one_process_is_found_by_the_other_and_rolled_back(open_sql: OpenDatabase):
    clock = FrozenClock()
    first_db, second_db = await open_sql(), await open_sql()
    first = await build_app(settings_for(), clock, repos=first_db.repos, salt=b"s")
    second = await build_app(settings_for(), clock, repos=second_db.repos, salt=b"s")
    officer, citizen = Conversation(first, user_id="1"), Conversation(second, user_id="200")
    try:
        await officer.say("/sig_add")
        for field in ADD_ORDER:
            await officer.say(ANSWERS[field])
        await officer.press(t("button.sig_save"))
        assert officer.text == t("sig.add.saved", id=NEW_ID, version=1)
        assert top_method(first, CITIZEN_TEXT) == NEW_ID

        clock.advance(seconds=REFRESH_SECONDS)
        await citizen.say(CITIZEN_TEXT)  # the very next citizen check in the other process finds it
        assert ANSWERS["title_vi"] in citizen.text and top_method(second, CITIZEN_TEXT) == NEW_ID

        await officer.say(f"/sig_edit {NEW_ID} cues")
        await officer.say("mua bán vật phẩm ảo\ngiao dịch trung gian game\nđặt cọc giữ acc\nnạp kim cương giá rẻ")
        await officer.press(t("button.sig_save"))
        clock.advance(seconds=REFRESH_SECONDS)
        await citizen.say(CITIZEN_TEXT)
        assert top_method(second, CITIZEN_TEXT) != NEW_ID

        await officer.say(f"/sig_rollback {NEW_ID} 1")
        clock.advance(seconds=REFRESH_SECONDS)
        await citizen.say(CITIZEN_TEXT)
        assert top_method(second, CITIZEN_TEXT) == NEW_ID
        history = await second.deps.repos.signatures.history(NEW_ID)
        assert [(v.version, v.change) for v in history] == [(3, "rolled_back"), (2, "edited"), (1, "created")]
    finally:
        await first.close()
        await second.close()
        await first_db.close()
        await second_db.close()


async def test_an_unchanged_library_is_not_rebuilt(open_sql: OpenDatabase):
    clock = FrozenClock()
    database = await open_sql()
    app = await build_app(settings_for(), clock, repos=database.repos, salt=b"s")
    try:
        engine = app.deps.risk.engine
        clock.advance(seconds=REFRESH_SECONDS * 3)
        assert await app.deps.risk.refresh() is False
        await Conversation(app, user_id="200").say(SCAM)
        assert app.deps.risk.engine is engine
    finally:
        await app.close()
        await database.close()
