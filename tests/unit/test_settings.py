"""Settings come from ARDOISE_* variables, each one documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from server.settings import Settings, SettingsError, SqliteSync

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_match_the_readme_promise() -> None:
    settings = Settings.from_env({})
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.data_dir == Path("data")
    assert settings.resolved_database_url.startswith("sqlite+aiosqlite:///")
    assert settings.resolved_database_url.endswith("data/ardoise.sqlite3")
    assert settings.redis_url is None


def test_environment_overrides() -> None:
    settings = Settings.from_env(
        {
            "ARDOISE_HOST": "0.0.0.0",
            "ARDOISE_PORT": "9000",
            "ARDOISE_DATABASE_URL": "postgresql+asyncpg://u@db/ardoise",
            "ARDOISE_REDIS_URL": "redis://127.0.0.1:6379/0",
            "ARDOISE_PUBLIC_URL": "https://ardoise.example.org/",
            "ARDOISE_MAX_MESSAGE_BYTES": "2048",
        }
    )
    assert settings.port == 9000
    assert settings.resolved_database_url == "postgresql+asyncpg://u@db/ardoise"
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.public_url == "https://ardoise.example.org"
    assert settings.limits.max_message_bytes == 2048
    # The transport's buffer stays above the message limit, so a big message gets an ack.
    assert settings.transport_buffer_bytes > settings.limits.max_message_bytes


@pytest.mark.parametrize(
    "env",
    [
        {"ARDOISE_PORT": "http"},
        {"ARDOISE_PORT": "-1"},
        {"ARDOISE_UNLOAD_DELAY_S": "soon"},
        {"ARDOISE_SQLITE_SYNC": "off"},
    ],
)
def test_bad_values_are_refused_with_the_variable_named(env: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match=next(iter(env))):
        Settings.from_env(env)


def test_sqlite_sync_is_full_unless_asked_otherwise() -> None:
    assert Settings.from_env({}).sqlite_sync is SqliteSync.FULL
    assert Settings.from_env({"ARDOISE_SQLITE_SYNC": " Normal "}).sqlite_sync is SqliteSync.NORMAL
    with pytest.raises(SettingsError, match="'full' or 'normal'; got 'off'"):
        Settings.from_env({"ARDOISE_SQLITE_SYNC": "off"})


def test_every_setting_is_documented_in_the_readme() -> None:
    source = (ROOT / "server" / "settings.py").read_text()
    names = set(re.findall(r'"(ARDOISE_[A-Z_]+)"', source))
    assert len(names) >= 10
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert not missing, f"settings missing from README.md: {missing}"


def _wiki(url: str, form: str = "12", **extra: str) -> dict[str, str]:
    return {
        "ARDOISE_YESWIKI_URL": url,
        "ARDOISE_YESWIKI_FORM_ID": form,
        "ARDOISE_YESWIKI_API_KEY": "k",
        **extra,
    }


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://wiki.example.org", "https://wiki.example.org"),
        ("https://wiki.example.org/", "https://wiki.example.org"),
        ("https://wiki.example.org/?", "https://wiki.example.org"),
        ("https://example.org/wiki/", "https://example.org/wiki"),
    ],
)
def test_the_wiki_address_is_kept_without_its_end(url: str, kept: str) -> None:
    assert Settings.from_env(_wiki(url)).yeswiki_url == kept


@pytest.mark.parametrize(
    ("env", "words"),
    [
        (_wiki("https://wiki.example.org/index.php"), "no page, /index.php nor ?…"),
        (_wiki("https://wiki.example.org/index.php?"), "no page, /index.php nor ?…"),
        (_wiki("https://wiki.example.org/?PagePrincipale"), "no page, /index.php nor ?…"),
        (_wiki("wiki.example.org"), "must start with http:// or https://"),
        (_wiki("https://wiki.example.org", form="Ateliers"), "the Bazar form's number"),
        (
            _wiki("https://w.example.org", ARDOISE_YESWIKI_TEXT_FIELD="bf desc"),
            "a Bazar field name",
        ),
    ],
)
def test_a_wiki_address_that_cannot_work_stops_the_server_saying_why(
    env: dict[str, str], words: str
) -> None:
    with pytest.raises(SettingsError, match=re.escape(words)):
        Settings.from_env(env)
