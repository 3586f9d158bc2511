"""Configuration: one pydantic model per TOML table, overridable by SCHAKEL_* variables.

`SCHAKEL_TELEGRAM__TOKEN=...` overrides `[telegram] token`; a double underscore
separates the table from the key. Values are read as TOML when they parse as TOML
(numbers, lists, booleans) and as plain strings otherwise.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.core.periods import Period, parse_period
from messages.languages import SUPPORTED_LANGUAGES

ENV_PREFIX = "SCHAKEL_"
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
DEFAULT_BASE_URL = "https://api.telegram.org/bot"


class ConfigError(Exception):
    """A configuration problem, described in one line that names the key."""


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TelegramConfig(_Table):
    # SecretStr keeps the token out of every repr and log line.
    token: SecretStr | None = None
    base_url: str = DEFAULT_BASE_URL
    base_file_url: str = "https://api.telegram.org/file/bot"
    bot_username: str = "SchakelBot"
    # "polling": the bot asks Telegram for updates (no inbound connection needed).
    # "webhook": Telegram posts each update to `webhook_url`, an HTTPS address whose
    # reverse proxy passes it on to `[http] listen`; `webhook_secret` proves that a
    # request comes from Telegram (bot/app/telegram_webhook.py).
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None

    @field_validator("webhook_url")
    @classmethod
    def _https_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError(f"{value!r} is not an HTTPS address (Telegram posts only to HTTPS)")
        return value.strip()

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        # Telegram's rule for secret_token: 1-256 of A-Z, a-z, 0-9, _ and -.
        if not WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1 to 256 letters, digits, _ or - (Telegram's rule)")
        return value

    @property
    def webhook_path(self) -> str:
        """Where on our HTTP server Telegram's posts arrive: the path of `webhook_url`."""
        return urlsplit(self.webhook_url or "").path or "/"

    @field_validator("token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        raw = value.get_secret_value()
        bot_id, _, secret = raw.partition(":")
        if not (bot_id.isdigit() and len(secret) >= 30):
            raise ValueError("does not look like a bot token from @BotFather (digits:secret)")
        return value


class SmsConfig(_Table):
    """Text messages for newcomers without Telegram, through an SMS gateway (Twilio's
    Messaging REST API or one that speaks it). Off while account_sid is empty."""

    provider: str = "twilio"
    account_sid: str = ""
    auth_token: SecretStr | None = None  # like the bot token: SCHAKEL_SMS__AUTH_TOKEN
    # Who the SMS is from: a sender number (+32...), or a Messaging Service SID (MG...).
    sender: str = ""
    messaging_service_sid: str = ""
    api_base: str = "https://api.twilio.com"
    # The address at which the gateway reaches this bot's HTTP server ([http] listen,
    # behind a proxy with TLS): status callbacks and answers are posted under it.
    public_url: str = ""
    # Requests a second to the gateway (Twilio: 1 for a long code, more for a service).
    rate_per_second: float = Field(default=1.0, gt=0, le=100)
    # Segments a calendar month; past it nothing more goes by SMS and coordinators are told.
    monthly_segments: int = Field(default=2000, ge=0)
    # A second SMS in the newcomer's language: never, only for Latin-script languages
    # (GSM-7 mostly: 1 segment), or always (Arabic script and Ge'ez are UCS-2: 70
    # characters a segment, so usually 2-3 segments each).
    translation: str = Field(default="never", pattern="^(never|latin-script|always)$")

    @field_validator("provider")
    @classmethod
    def _known_provider(cls, value: str) -> str:
        if value != "twilio":
            raise ValueError("only 'twilio' is built in (bot/sending/sms_gateway.py)")
        return value

    @field_validator("account_sid")
    @classmethod
    def _account_sid_shape(cls, value: str) -> str:
        if value and not re.fullmatch(r"AC[0-9a-fA-F]{32}", value):
            raise ValueError("does not look like a Twilio Account SID (AC and 32 hex digits)")
        return value

    @field_validator("sender")
    @classmethod
    def _sender_shape(cls, value: str) -> str:
        if value and not re.fullmatch(r"\+[1-9][0-9]{6,14}", value):
            raise ValueError("must be a number in international form, like +32470123456")
        return value

    @model_validator(mode="after")
    def _complete_when_on(self) -> SmsConfig:
        if self.account_sid and self.auth_token is None:
            raise ValueError("auth_token is missing (set it or SCHAKEL_SMS__AUTH_TOKEN)")
        if self.account_sid and not (self.sender or self.messaging_service_sid):
            raise ValueError("set sender (+32...) or messaging_service_sid (MG...)")
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.account_sid)


class StorageConfig(_Table):
    database: Path = Path("schakel.db")


class LocaleConfig(_Table):
    timezone: str = "Europe/Brussels"
    languages: tuple[str, ...] = SUPPORTED_LANGUAGES
    default_language: str = "nl"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone {value!r} (use a name like Europe/Brussels)"
            ) from None
        return value

    @field_validator("languages")
    @classmethod
    def _supported_languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [code for code in value if code not in SUPPORTED_LANGUAGES]
        if unknown:
            raise ValueError(
                f"unsupported language {unknown[0]!r}"
                f" (choose from {', '.join(SUPPORTED_LANGUAGES)})"
            )
        if "nl" not in value:
            raise ValueError("must include nl: Dutch is the source of every text")
        return value

    @field_validator("default_language")
    @classmethod
    def _supported_default(cls, value: str) -> str:
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f"unsupported language {value!r}")
        return value

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class QuietHoursConfig(_Table):
    """No reminder is sent between start and end (local time); it moves to the edge."""

    start: dt.time = dt.time(21, 0)
    end: dt.time = dt.time(8, 0)


_OFFSET = re.compile(r"^\s*(\d+)\s*([dhm])\s*$")
_OFFSET_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
APPOINTMENT_KINDS = (
    "duo_intake", "job_coach", "social_worker", "civic_integration", "info_session", "other",
)  # fmt: skip


def parse_offset(text: str) -> dt.timedelta:
    """'3d', '1d', '2h', '30m' -> a timedelta before the appointment."""
    match = _OFFSET.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not an offset like 3d, 2h or 30m")
    amount, unit = int(match.group(1)), match.group(2)
    offset = dt.timedelta(**{_OFFSET_UNITS[unit]: amount})
    if not dt.timedelta(minutes=10) <= offset <= dt.timedelta(days=30):
        raise ValueError(f"{text!r} must be between 10m and 30d")
    return offset


class RemindersConfig(_Table):
    """When newcomers are reminded of an appointment, and when staff are asked who came."""

    # Before every appointment, unless its kind has its own list below.
    default: tuple[str, ...] = ("3d", "1d", "2h")
    # Per appointment kind, e.g. info_session = ["1d"].
    kinds: dict[str, tuple[str, ...]] = {}
    # A reminder handed over later than this after its moment (the bot was down) is "late".
    late_after_minutes: int = Field(default=10, ge=1, le=24 * 60)
    # A reminder may leave up to this long before its moment (never in quiet hours), so a
    # thousand due at the same moment are all delivered by then at Telegram's 30 a
    # second. A reminder less than a day before the appointment ("2 hours before") at
    # most 5 minutes early, whatever this says.
    early_minutes: int = Field(default=5, ge=0, le=60)
    # The caseworker is asked "did they come?" this long after the start.
    attendance_after_hours: int = Field(default=2, ge=0, le=72)

    @field_validator("default")
    @classmethod
    def _valid_default(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for text in value:
            parse_offset(text)
        return value

    @field_validator("kinds")
    @classmethod
    def _valid_kinds(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for kind, offsets in value.items():
            if kind not in APPOINTMENT_KINDS:
                raise ValueError(
                    f"unknown appointment kind {kind!r} ({', '.join(APPOINTMENT_KINDS)})"
                )
            for text in offsets:
                parse_offset(text)
        return value

    def offsets_for(self, kind: str) -> tuple[dt.timedelta, ...]:
        return tuple(parse_offset(text) for text in self.kinds.get(kind, self.default))


class PartnerChannelConfig(_Table):
    chat_id: int | None = Field(default=None, description="Telegram id of the partner group")

    @field_validator("chat_id")
    @classmethod
    def _group_id(cls, value: int | None) -> int | None:
        if value is not None and value >= 0:
            raise ValueError("must be a group id, a negative number like -1001234567890")
        return value


class HandoverConfig(_Table):
    """Warm handover notes in the partner group."""

    # A note nobody took over is raised again in the group and to its author after this
    # many working days (Monday to Friday, Belgian public holidays not counted).
    raise_after_working_days: int = Field(default=3, ge=1, le=20)
    # A newcomer asked for consent (✅/❌ in their language) has this many days to answer;
    # the note put aside to wait for it is kept as long, then removed.
    consent_wait_days: int = Field(default=14, ge=1, le=60)


# The shortest retention each kind of data accepts, in days, and why (config.example.toml
# has the defaults and their reasons).
RETENTION_MINIMUM = {
    "appointments": (30, "the attendance question, /week and the history look back at them"),
    "handover_notes": (30, "the author and the partners look back at a decision"),
    "audit_log": (365, "the database never deletes younger audit entries"),
    "delivery_records": (7, "retries and an announcement's report need them"),
    "drafts": (1, "a form being filled in must not vanish under the writer's hands"),
    "invites": (1, "whoever opens a link just expired is told it expired"),
    "never_joined": (30, "a caseworker may still send a new link to someone who missed one"),
}


class RetentionConfig(_Table):
    """How long each kind of data is kept: '90d', '2y' or 'keep' (bot/retention.py)."""

    appointments: str = "2y"  # after the appointment, with its reminders and messages
    handover_notes: str = "1y"  # after the decision, with its consent and messages
    audit_log: str = "5y"
    delivery_records: str = "90d"  # sent messages, announcement deliveries and answers
    drafts: str = "30d"  # after the last answer typed into a form left half-way
    invites: str = "30d"  # after an invite link expired (newcomers' and staff's)
    never_joined: str = "180d"  # after the last link of a newcomer who never joined expired
    # The bot removes what is past its retention every day at this local time.
    purge_at: dt.time = dt.time(3, 30)

    @field_validator(
        "appointments", "handover_notes", "audit_log", "delivery_records", "drafts", "invites",
        "never_joined",
    )  # fmt: skip
    @classmethod
    def _valid_retention(cls, value: str, info: ValidationInfo) -> str:
        period = parse_period(value)
        least, why = RETENTION_MINIMUM[str(info.field_name)]
        if period is not None and period.shortest_days < least:
            raise ValueError(f"{value!r} is shorter than the minimum of {least} days ({why})")
        return value

    def period(self, kind: str) -> Period | None:
        """The retention of one kind (a field name above); None means keep."""
        return parse_period(getattr(self, kind))


class InvitesConfig(_Table):
    # Called client_valid_days before issue 17; a config file that still says so works.
    newcomer_valid_days: int = Field(
        default=14,
        ge=1,
        le=90,
        validation_alias=AliasChoices("newcomer_valid_days", "client_valid_days"),
    )
    staff_valid_days: int = Field(default=7, ge=1, le=30)


class ExportConfig(_Table):
    """`schakel export`: the partners' reports. Never names, chat ids or places."""

    # The newcomer's pseudonymous code (K-7F3Q) as a column in the appointment rows: only
    # when the partners' agreement allows it, to match rows with their own files.
    include_references: bool = False


class PlanningImportConfig(_Table):
    """`schakel import-planning`: how big a planning sheet may be. A real one is a few
    kilobytes; the limits keep a wrong or hostile file from filling the memory."""

    # The file on disk, checked before a byte of it is read.
    max_file_mb: float = Field(default=5, gt=0, le=100)
    # What an XLSX file (a zip) unpacks to, all parts together: a zip bomb is small.
    max_unzipped_mb: float = Field(default=10, gt=0, le=200)
    # Rows below the header; reading stops at the first row past the limit.
    max_rows: int = Field(default=5000, ge=1, le=50_000)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def max_unzipped_bytes(self) -> int:
        return int(self.max_unzipped_mb * 1024 * 1024)


class OrganisationConfig(_Table):
    short_name: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9&\-]+$")
    name: str = Field(min_length=1)
    address: str = ""
    phone: str = ""
    opening_hours: str = ""


class HttpConfig(_Table):
    """The HTTP endpoint inside the bot process: /healthz and /metrics (bot/app/http.py).
    Off unless `listen` is set; later also the SMS gateway's and Telegram's webhooks."""

    # "127.0.0.1:8080"; a host name or address and a port (0: any free one, the start
    # line says which). None: no HTTP server.
    listen: str | None = None

    @field_validator("listen")
    @classmethod
    def _host_and_port(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        host, _, port = value.strip().rpartition(":")
        if not host or not port.isdigit() or not 0 <= int(port) < 65536:
            raise ValueError(f"{value!r} is not a host and port like 127.0.0.1:8080")
        return value.strip()

    @property
    def host_and_port(self) -> tuple[str, int] | None:
        if self.listen is None:
            return None
        host, _, port = self.listen.rpartition(":")
        return host.strip("[]"), int(port)


class LoggingConfig(_Table):
    """`schakel run`'s log on standard error (bot/core/logs.py)."""

    # "text": one readable line per event; "json": one JSON object per line, for a collector.
    format: Literal["text", "json"] = "text"


class Config(_Table):
    telegram: TelegramConfig = TelegramConfig()
    storage: StorageConfig = StorageConfig()
    sms: SmsConfig = SmsConfig()
    locale: LocaleConfig = LocaleConfig()
    quiet_hours: QuietHoursConfig = QuietHoursConfig()
    reminders: RemindersConfig = RemindersConfig()
    partner_channel: PartnerChannelConfig = PartnerChannelConfig()
    handover: HandoverConfig = HandoverConfig()
    invites: InvitesConfig = InvitesConfig()
    export: ExportConfig = ExportConfig()
    planning_import: PlanningImportConfig = PlanningImportConfig()
    retention: RetentionConfig = RetentionConfig()
    http: HttpConfig = HttpConfig()
    logging: LoggingConfig = LoggingConfig()
    organisations: tuple[OrganisationConfig, ...] = ()

    @field_validator("organisations")
    @classmethod
    def _unique_short_names(
        cls, value: tuple[OrganisationConfig, ...]
    ) -> tuple[OrganisationConfig, ...]:
        seen: set[str] = set()
        for organisation in value:
            key = organisation.short_name.casefold()
            if key in seen:
                raise ValueError(f"short_name {organisation.short_name!r} is used twice")
            seen.add(key)
        return value

    @model_validator(mode="after")
    def _webhook_complete(self) -> Config:
        if self.telegram.mode != "webhook":
            return self
        missing = [
            name
            for name, value in (
                ("telegram.webhook_url", self.telegram.webhook_url),
                ("telegram.webhook_secret", self.telegram.webhook_secret),
                ("http.listen", self.http.listen),
            )
            if value is None
        ]
        if missing:
            raise ValueError(f'telegram.mode = "webhook" needs {", ".join(missing)}')
        return self

    def require_token(self) -> str:
        """The bot token, or a ConfigError that says where to set it."""
        if self.telegram.token is None:
            raise ConfigError(
                "telegram.token is missing (set it in config.toml or SCHAKEL_TELEGRAM__TOKEN)"
            )
        return self.telegram.token.get_secret_value()


def _env_value(raw: str) -> Any:
    try:
        return tomllib.loads(f"value = {raw}")["value"]
    except tomllib.TOMLDecodeError:
        return raw


def _apply_environment(data: dict[str, Any], environ: Mapping[str, str]) -> None:
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX):
            continue
        path = [part.lower() for part in name[len(ENV_PREFIX) :].split("__") if part]
        if not path:
            continue
        node = data
        for part in path[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ConfigError(f"{name} names {'.'.join(path)}, but {part} is not a table")
            node = child
        node[path[-1]] = _env_value(raw)


def _describe(error: ValidationError) -> str:
    more = len(error.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return _one_problem(error.errors()[0]) + suffix


def _one_problem(first: Any) -> str:
    key = ".".join(str(part) for part in first["loc"]) or "config"
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "missing":
        message = "is missing"
    elif first["type"] == "extra_forbidden":
        message = "is not a known setting (check the spelling against config.example.toml)"
    else:
        message = message[:1].lower() + message[1:]
    return f"{key} {message}" if message.startswith("is ") else f"{key}: {message}"


def load_config(path: Path | None, environ: Mapping[str, str] | None = None) -> Config:
    """Read TOML (when a path is given and exists), apply the environment and validate."""
    data = _read(path, os.environ if environ is None else environ)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None


def config_problems(path: Path | None, environ: Mapping[str, str]) -> list[str]:
    """Every problem of a configuration, one line each, without starting anything
    (`schakel check-config`): what `load_config` would stop at, and then what `run`
    would: no token, a database folder that does not exist or cannot be written."""
    try:
        data = _read(path, environ)
    except ConfigError as problem:
        return [str(problem)]
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        return [_one_problem(error) for error in exc.errors()]
    problems = []
    try:
        config.require_token()
    except ConfigError as problem:
        problems.append(str(problem))
    if config.sms.enabled and not (config.sms.public_url and config.http.listen):
        problems.append(
            "sms: set [sms] public_url and [http] listen, or no delivery report and no"
            " newcomer's answer by SMS reaches Schakel"
        )
    folder = config.storage.database.parent
    if not folder.is_dir():
        problems.append(f"storage.database: the folder {folder} does not exist")
    elif not os.access(folder, os.W_OK | os.X_OK):
        problems.append(f"storage.database: the folder {folder} cannot be written")
    return problems


def _read(path: Path | None, environ: Mapping[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if path is not None:
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except FileNotFoundError:
            raise ConfigError(
                f"{path} not found (copy config.example.toml to {path} and fill it in)"
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    _apply_environment(data, environ)
    return data
