import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from bot.config import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config.example.toml"


def _settings_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys += _settings_keys(annotation, f"{name}.")
        else:
            keys.append(f"{prefix}{name}")
    return keys


def test_every_setting_is_documented_with_a_comment():
    text = EXAMPLE.read_text("utf-8")
    section, documented, previous = "", set(), ""
    for line in text.splitlines():
        if m := re.match(r"^\[(\w+)\]", line):
            section = m.group(1)
        elif m := re.match(r"^(\w+)\s*=", line):
            assert previous.startswith("#"), f"{section}.{m.group(1)} has no comment"
            documented.add(f"{section}.{m.group(1)}")
        previous = line.strip()
    assert set(_settings_keys(Settings)) == documented


def test_example_file_loads_and_environment_overrides_it(monkeypatch):
    monkeypatch.setenv("CANHGIAC_LIMITS__CHECKS_PER_MINUTE", "7")
    monkeypatch.setenv("CANHGIAC_TELEGRAM__TOKEN", "123:SECRET")
    settings = load_settings(EXAMPLE)
    assert settings.limits.checks_per_minute == 7
    assert settings.alerts.timezone == "Asia/Ho_Chi_Minh"
    assert settings.telegram.token.get_secret_value() == "123:SECRET"
    assert "SECRET" not in repr(settings) and "SECRET" not in str(settings.redacted())


def test_file_values_beat_defaults(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[alerts]\ndefault_time = "07:30"\n[roles]\nsuperadmins = ["zalo:abc"]\n', "utf-8")
    settings = load_settings(path)
    assert settings.alerts.default_time == "07:30" and settings.roles.superadmins == ("zalo:abc",)


@pytest.mark.parametrize(
    "content",
    [
        '[alerts]\ndefault_time = "25:00"\n',
        '[roles]\nsuperadmins = ["bob"]\n',
        "[nope]\nx = 1\n",
        '[web]\npublic_url = "bot.example.vn"\n',
    ],
)
def test_invalid_settings_are_refused(tmp_path, content):
    path = tmp_path / "c.toml"
    path.write_text(content, "utf-8")
    with pytest.raises(ValueError):
        load_settings(path)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_settings(tmp_path / "absent.toml")


def test_log_level_is_read_case_insensitively_and_checked(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[logging]\nlevel = "debug"\n', "utf-8")
    assert load_settings(path).logging.level == "DEBUG"
    assert Settings().logging.level == "INFO"
    path.write_text('[logging]\nlevel = "verbose"\n', "utf-8")
    with pytest.raises(ValueError):
        load_settings(path)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+psycopg://bot:p%40ss@db:5432/x", "postgresql+psycopg://bot:***@db:5432/x"),
        (
            "postgresql://db/x?user=bot&password=hunter2&sslmode=require",
            "postgresql://db/x?user=bot&password=***&sslmode=require",
        ),
        ("sqlite:///data/canhgiac.sqlite3", "sqlite:///data/canhgiac.sqlite3"),
    ],
)
def test_database_passwords_are_masked_when_printed_and_blanked_in_logs(monkeypatch, url, shown):
    monkeypatch.setenv("CANHGIAC_DATABASE__URL", url)
    settings = Settings()
    assert settings.redacted()["database"]["url"] == shown
    assert {"p%40ss", "p@ss"} <= set(settings.secret_values()) or "p%40ss" not in url
    assert "hunter2" in settings.secret_values() or "hunter2" not in url
