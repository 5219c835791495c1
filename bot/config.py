"""Typed, frozen settings: a TOML file plus environment overrides (pydantic-settings).

Precedence, highest first: environment variables (`CANHGIAC_<SECTION>__<KEY>`, e.g.
`CANHGIAC_TELEGRAM__TOKEN`), then the TOML file given with `--config` (or `CANHGIAC_CONFIG`), then defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from knowledge import MAX_INPUT_CHARS

_SECRET_WORDS = ("token", "secret", "password", "salt")
MASK = "********"


class Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlatformSection(Section):
    """What every chat platform is configured with: a bot token, where its API is, how updates arrive."""

    token: SecretStr | None = None
    api_base_url: str
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    poll_timeout: int = Field(default=30, ge=1, le=120)


class TelegramSettings(PlatformSection):
    api_base_url: str = "https://api.telegram.org"
    concurrent_updates: int = Field(default=64, ge=1, le=1024)
    # Messages per second this process sends at most (Telegram allows a bot about 30 in all).
    messages_per_second: float = Field(default=30.0, gt=0)


class ZaloSettings(PlatformSection):
    api_base_url: str = "https://bot-api.zaloplatforms.com"
    concurrency: int = Field(default=16, ge=1, le=256)
    messages_per_second: float = Field(default=10.0, gt=0)


class DatabaseSettings(Section):
    url: str = "sqlite:///data/canhgiac.sqlite3"


class SharingSettings(Section):
    """Where the state of serving a bot lives: "memory" (one process per bot token) or "database" (several)."""

    backend: Literal["memory", "database"] = "memory"


class RolesSettings(Section):
    superadmins: tuple[str, ...] = ()

    @field_validator("superadmins")
    @classmethod
    def _actors(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for actor in value:
            platform, _, user_id = actor.partition(":")
            if platform not in ("telegram", "zalo", "console") or not user_id:
                raise ValueError(f"superadmin {actor!r} must look like 'telegram:<user id>' or 'zalo:<user id>'")
        return value


class AlertsSettings(Section):
    timezone: str = "Asia/Ho_Chi_Minh"
    default_time: str = Field(default="08:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    grace_minutes: int = Field(default=240, ge=0)
    # Seconds between two checks for due alerts; the scheduler's lease lasts LEASE_FACTOR times as long.
    check_seconds: int = Field(default=20, ge=1, le=600)


class LimitsSettings(Section):
    checks_per_minute: int = Field(default=20, ge=1)
    max_text_chars: int = Field(default=MAX_INPUT_CHARS, ge=100, le=MAX_INPUT_CHARS)
    # Reports one person may file in the last hour and in the last 24 hours (stored reports are counted).
    reports_per_hour: int = Field(default=5, ge=1)
    reports_per_day: int = Field(default=20, ge=1)
    max_report_chars: int = Field(default=4000, ge=200, le=MAX_INPUT_CHARS)


class SignaturesSettings(Section):
    # The false-alarm guard: above this share of genuine messages flagged, only a superadmin may confirm a
    # new or edited signature.
    guard_max_share: float = Field(default=0.005, ge=0.0, le=1.0)


class OcrSettings(Section):
    """Reading screenshots: text (Tesseract) and QR codes, in a bounded pool of worker threads."""

    enabled: bool = True
    # "fast": one Vietnamese pass; "careful": a second Vietnamese+English pass for links, numbers and names.
    tier: Literal["fast", "careful", "accurate"] = "fast"
    workers: int = Field(default=1, ge=1, le=16)
    # Images waiting for a worker beyond this get "busy, try again in a minute".
    queue: int = Field(default=8, ge=0, le=1000)
    timeout: float = Field(default=10.0, gt=0, le=120)
    max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024, le=20 * 1024 * 1024)
    max_pixels: int = Field(default=40_000_000, ge=10_000, le=200_000_000)
    # Where Tesseract's traineddata files are; empty: found from TESSDATA_PREFIX or Debian's location.
    tessdata: str = ""


class WebSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    public_url: str = ""
    max_connections: int = Field(default=500, ge=1)
    header_timeout: float = Field(default=10.0, gt=0)
    body_timeout: float = Field(default=20.0, gt=0)

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError(f"[web] public_url {value!r} must start with https:// (or be empty)")
        return value.rstrip("/")


class ConsoleSettings(Section):
    image_dir: str = ""  # empty: the system's temporary folder


class RetentionSettings(Section):
    """Days each kind of record is kept before the daily purge deletes or blanks it; 0 keeps it for ever."""

    checks_days: int = Field(default=400, ge=0)
    deliveries_days: int = Field(default=30, ge=0)
    pending_reports_days: int = Field(default=180, ge=0)
    report_text_days: int = Field(default=730, ge=0)
    audit_days: int = Field(default=730, ge=0)


class LoggingSettings(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


class PrivacySettings(Section):
    hash_salt: SecretStr | None = None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CANHGIAC_", env_nested_delimiter="__", frozen=True, extra="forbid")

    telegram: TelegramSettings = TelegramSettings()
    zalo: ZaloSettings = ZaloSettings()
    database: DatabaseSettings = DatabaseSettings()
    sharing: SharingSettings = SharingSettings()
    roles: RolesSettings = RolesSettings()
    alerts: AlertsSettings = AlertsSettings()
    limits: LimitsSettings = LimitsSettings()
    signatures: SignaturesSettings = SignaturesSettings()
    ocr: OcrSettings = OcrSettings()
    web: WebSettings = WebSettings()
    console: ConsoleSettings = ConsoleSettings()
    privacy: PrivacySettings = PrivacySettings()
    retention: RetentionSettings = RetentionSettings()
    logging: LoggingSettings = LoggingSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = settings_cls.model_config.get("toml_file")
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)

    def redacted(self) -> dict[str, Any]:
        """Every setting, with anything secret replaced by asterisks: safe to print or log."""
        tree = _redact(self.model_dump(mode="json"))
        tree["database"]["url"] = masked_url(self.database.url)
        return tree

    def secret_values(self) -> tuple[str, ...]:
        """The text of every secret setting (tokens, webhook secrets, the salt, the database password)."""
        values = [secret(value) for _, section in self for _, value in section if isinstance(value, SecretStr)]
        for password in _url_passwords(self.database.url):  # as written, and decoded (an error may quote either)
            values += [password, unquote(password)]
        return tuple(value for value in values if value)


def masked_url(url: str) -> str:
    """`url` with the password (in the user part, or a `password=` query parameter) shown as `***`."""
    parts = urlsplit(url)
    if parts.password is None and not _url_passwords(url):
        return url  # unchanged, `sqlite:///…` included (splitting and joining would drop its empty host)
    netloc = parts.netloc
    if parts.password is not None:
        userinfo, _, host = netloc.rpartition("@")
        netloc = f"{userinfo.partition(':')[0]}:***@{host}"
    query = parts.query
    if any(_is_secret(key) for key, _ in parse_qsl(query)):
        query = urlencode([(k, "***" if _is_secret(k) else v) for k, v in parse_qsl(query)], safe="*")
    return parts._replace(netloc=netloc, query=query).geturl()


def _url_passwords(url: str) -> list[str]:
    parts = urlsplit(url)
    found = [value for key, value in parse_qsl(parts.query) if _is_secret(key) and value]
    return [parts.password, *found] if parts.password else found


def _is_secret(key: str) -> bool:
    return any(word in key.lower() for word in _SECRET_WORDS)


def _redact(tree: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out[key] = _redact(value)
        elif _is_secret(key) and value:
            out[key] = MASK
        else:
            out[key] = value
    return out


def load_settings(path: Path | None = None) -> Settings:
    """Settings from the file at `path` (or $CANHGIAC_CONFIG) with environment overrides."""
    path = path or (Path(os.environ["CANHGIAC_CONFIG"]) if os.environ.get("CANHGIAC_CONFIG") else None)
    if path is not None and not path.is_file():
        raise FileNotFoundError(f"config file not found: {path}")

    class FileSettings(Settings):
        model_config = SettingsConfigDict(**{**Settings.model_config, "toml_file": path})

    return FileSettings()


def secret(value: SecretStr | None) -> str | None:
    """The secret's text, or None when unset or empty."""
    text = value.get_secret_value().strip() if value is not None else ""
    return text or None
