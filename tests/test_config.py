"""load_config: defaults, the TOML tables, SCHAKEL_* overrides, a hidden token, one-line errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.core.config import DEFAULT_BASE_URL, Config, ConfigError, load_config
from messages.languages import SUPPORTED_LANGUAGES

REPO = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
FULL_TOML = f"""
[telegram]
token = "{TOKEN}"
bot_username = "SchakelTestBot"

[storage]
database = "data/test.db"

[locale]
timezone = "Europe/Amsterdam"
languages = ["nl", "en", "ar", "uk"]
default_language = "nl"

[quiet_hours]
start = 22:30:00
end = "07:15"

[partner_channel]
chat_id = -1001234567890

[invites]
newcomer_valid_days = 21
staff_valid_days = 3

[[organisations]]
short_name = "VDAB"
name = "VDAB Gent"
address = "Kongostraat 7, 9000 Gent"
phone = "+32 9 265 47 11"
opening_hours = "ma-vr 8:30-16:30"

[[organisations]]
short_name = "OCMW"
name = "OCMW Gent"
"""


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def config_error(path: Path | None, environ: dict[str, str] | None = None) -> str:
    """The message of the ConfigError load_config raises; asserts it is one line."""
    with pytest.raises(ConfigError) as caught:
        load_config(path, {} if environ is None else environ)
    message = str(caught.value)
    assert message
    assert "\n" not in message, message
    return message


# --- defaults and the file -------------------------------------------------------------


def test_defaults_without_a_file() -> None:
    config = load_config(None, {})
    assert config == Config()
    assert config.telegram.token is None
    assert config.telegram.base_url == DEFAULT_BASE_URL == "https://api.telegram.org/bot"
    assert config.storage.database == Path("schakel.db")
    assert config.locale.timezone == "Europe/Brussels"
    assert config.locale.tzinfo.key == "Europe/Brussels"
    assert config.locale.default_language == "nl"
    assert config.locale.languages == SUPPORTED_LANGUAGES
    assert len(config.locale.languages) == 12
    assert config.quiet_hours.start == dt.time(21, 0)
    assert config.quiet_hours.end == dt.time(8, 0)
    assert config.partner_channel.chat_id is None
    assert config.invites.newcomer_valid_days == 14
    assert config.invites.staff_valid_days == 7
    assert config.organisations == ()


def test_every_table_is_read(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL_TOML), {})
    assert config.require_token() == TOKEN
    assert config.telegram.bot_username == "SchakelTestBot"
    assert config.telegram.base_url == DEFAULT_BASE_URL
    assert config.storage.database == Path("data/test.db")
    assert config.locale.timezone == "Europe/Amsterdam"
    assert config.locale.languages == ("nl", "en", "ar", "uk")
    assert config.quiet_hours.start == dt.time(22, 30)
    assert config.quiet_hours.end == dt.time(7, 15)
    assert config.partner_channel.chat_id == -1001234567890
    assert config.invites.newcomer_valid_days == 21
    assert config.invites.staff_valid_days == 3
    assert [org.short_name for org in config.organisations] == ["VDAB", "OCMW"]
    vdab = config.organisations[0]
    assert vdab.name == "VDAB Gent"
    assert vdab.address == "Kongostraat 7, 9000 Gent"
    assert vdab.phone == "+32 9 265 47 11"
    assert vdab.opening_hours == "ma-vr 8:30-16:30"
    assert config.organisations[1].address == ""


def test_a_partial_file_keeps_the_other_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[storage]\ndatabase = "other.db"\n'), {})
    assert config.storage.database == Path("other.db")
    assert config.locale == Config().locale
    assert config.telegram.token is None


def test_the_example_configuration_loads() -> None:
    config = load_config(REPO / "config.example.toml", {})
    assert config.telegram.token is None
    with pytest.raises(ConfigError):
        config.require_token()


# --- the environment -------------------------------------------------------------------


def test_environment_overrides(tmp_path: Path) -> None:
    environ = {
        "SCHAKEL_TELEGRAM__TOKEN": TOKEN,
        "SCHAKEL_STORAGE__DATABASE": "/var/lib/schakel/schakel.db",
        "SCHAKEL_LOCALE__LANGUAGES": '["nl","ar"]',
        "PATH": "/usr/bin",
        "SCHAKELAAR": "not ours",
    }
    config = load_config(None, environ)
    assert config.require_token() == TOKEN
    assert config.storage.database == Path("/var/lib/schakel/schakel.db")
    assert config.locale.languages == ("nl", "ar")


def test_environment_wins_over_the_file_and_keeps_the_rest(tmp_path: Path) -> None:
    other = "987654321:ZZZfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
    environ = {
        "SCHAKEL_TELEGRAM__TOKEN": other,
        "SCHAKEL_INVITES__NEWCOMER_VALID_DAYS": "30",
        "SCHAKEL_PARTNER_CHANNEL__CHAT_ID": "-100555",
    }
    config = load_config(write(tmp_path, FULL_TOML), environ)
    assert config.require_token() == other
    assert config.invites.newcomer_valid_days == 30
    assert config.invites.staff_valid_days == 3
    assert config.partner_channel.chat_id == -100555
    assert config.telegram.bot_username == "SchakelTestBot"
    assert config.locale.timezone == "Europe/Amsterdam"


def test_an_environment_value_is_checked_like_the_file() -> None:
    message = config_error(None, {"SCHAKEL_LOCALE__LANGUAGES": '["nl","xx"]'})
    assert message.startswith("locale.languages")
    message = config_error(None, {"SCHAKEL_TELEGRAM__TOKN": TOKEN})
    assert message.startswith("telegram.tokn")
    assert TOKEN not in message


# --- the token stays secret ------------------------------------------------------------


def test_token_never_in_repr_or_str(tmp_path: Path) -> None:
    for config in (
        load_config(write(tmp_path, FULL_TOML), {}),
        load_config(None, {"SCHAKEL_TELEGRAM__TOKEN": TOKEN}),
    ):
        assert config.require_token() == TOKEN
        secret_part = TOKEN.split(":")[1]
        for shown in (
            repr(config),
            str(config),
            repr(config.telegram),
            str(config.telegram),
            repr(config.telegram.token),
            str(config.telegram.token),
            config.model_dump_json(),
        ):
            assert TOKEN not in shown
            assert secret_part not in shown


def test_an_empty_token_counts_as_missing() -> None:
    config = load_config(None, {"SCHAKEL_TELEGRAM__TOKEN": ""})
    assert config.telegram.token is None


def test_require_token_message() -> None:
    with pytest.raises(ConfigError) as caught:
        Config().require_token()
    assert str(caught.value) == (
        "telegram.token is missing (set it in config.toml or SCHAKEL_TELEGRAM__TOKEN)"
    )


# --- errors: one line, naming the key --------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    message = config_error(missing)
    assert str(missing) in message
    assert "not found" in message


def test_invalid_toml(tmp_path: Path) -> None:
    path = write(tmp_path, "[telegram\ntoken=\n")
    message = config_error(path)
    assert str(path) in message
    assert "not valid TOML" in message


def test_unknown_key(tmp_path: Path) -> None:
    message = config_error(write(tmp_path, '[telegram]\ntokn = "x"\n'))
    assert message.startswith("telegram.tokn"), message
    assert "not a known setting" in message


def test_unknown_table(tmp_path: Path) -> None:
    message = config_error(write(tmp_path, '[telegramm]\ntoken = "x"\n'))
    assert message.startswith("telegramm"), message


def test_bad_timezone(tmp_path: Path) -> None:
    message = config_error(write(tmp_path, '[locale]\ntimezone = "Europe/Gent"\n'))
    assert message.startswith("locale.timezone"), message
    assert "Europe/Gent" in message


def test_path_like_timezone_is_refused(tmp_path: Path) -> None:
    message = config_error(write(tmp_path, '[locale]\ntimezone = "../../etc/passwd"\n'))
    assert message.startswith("locale.timezone"), message


def test_unsupported_language(tmp_path: Path) -> None:
    message = config_error(write(tmp_path, '[locale]\nlanguages = ["nl", "de"]\n'))
    assert message.startswith("locale.languages"), message
    assert "'de'" in message


def test_languages_must_include_dutch(tmp_path: Path) -> None:
    message = config_error(write(tmp_path, '[locale]\nlanguages = ["en", "fr"]\n'))
    assert message.startswith("locale.languages"), message
    assert "nl" in message


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "123456789",
        "abc:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0",
        "123456789:short",
    ],
)
def test_malformed_token(tmp_path: Path, token: str) -> None:
    message = config_error(write(tmp_path, f'[telegram]\ntoken = "{token}"\n'))
    assert message.startswith("telegram.token"), message
    assert token not in message


def test_duplicate_organisation_short_name(tmp_path: Path) -> None:
    text = (
        '[[organisations]]\nshort_name = "VDAB"\nname = "VDAB Gent"\n\n'
        '[[organisations]]\nshort_name = "vdab"\nname = "VDAB Antwerpen"\n'
    )
    message = config_error(write(tmp_path, text))
    assert message.startswith("organisations"), message
    assert "twice" in message


def test_organisation_without_name(tmp_path: Path) -> None:
    message = config_error(write(tmp_path, '[[organisations]]\nshort_name = "VDAB"\n'))
    assert message.startswith("organisations.0.name"), message
    assert "missing" in message


def test_wrong_type(tmp_path: Path) -> None:
    message = config_error(write(tmp_path, '[invites]\nnewcomer_valid_days = "soon"\n'))
    assert message.startswith("invites.newcomer_valid_days"), message


def test_out_of_range(tmp_path: Path) -> None:
    message = config_error(write(tmp_path, "[invites]\nstaff_valid_days = 0\n"))
    assert message.startswith("invites.staff_valid_days"), message


def test_several_problems_still_one_line(tmp_path: Path) -> None:
    text = '[telegram]\ntokn = "x"\n[locale]\ntimezone = "Nowhere/Else"\n'
    message = config_error(write(tmp_path, text))
    assert "more problem" in message


def test_environment_into_a_value_that_is_not_a_table(tmp_path: Path) -> None:
    path = write(tmp_path, '[storage]\ndatabase = "x.db"\n')
    message = config_error(path, {"SCHAKEL_STORAGE__DATABASE__NAME": "y"})
    assert "SCHAKEL_STORAGE__DATABASE__NAME" in message
