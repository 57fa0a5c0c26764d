"""Server settings: the only reader of os.environ (every variable is named ARDOISE_*)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit


class SqliteSync(StrEnum):
    """What an acknowledged edit survives, with SQLite (`ARDOISE_SQLITE_SYNC`)."""

    # A crash of the process and a power cut: each commit waits for the disk (an fsync).
    FULL = "full"
    # A crash of the process (what docs/protocol.md section 4 promises), not a power cut: the
    # write-ahead log is synced at checkpoints only. Each commit then costs the CPU and the event
    # loop far less (BENCHMARKS.md, "ARDOISE_SQLITE_SYNC" in What changed the figures);
    # connected participants' copies resend what a power cut took.
    NORMAL = "normal"


class SettingsError(ValueError):
    """A setting from the environment has a value we cannot use."""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _share(env: Mapping[str, str], name: str, default: float) -> float:
    value = _float(env, name, default)
    if value > 1:
        raise SettingsError(f"{name} is a share of the time, from 0 to 1; got {value}")
    return value


def _sqlite_sync(env: Mapping[str, str]) -> SqliteSync:
    raw = (env.get("ARDOISE_SQLITE_SYNC") or SqliteSync.FULL.value).strip().lower()
    try:
        return SqliteSync(raw)
    except ValueError:
        choices = " or ".join(repr(level.value) for level in SqliteSync)
        raise SettingsError(f"ARDOISE_SQLITE_SYNC must be {choices}; got {raw!r}") from None


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from exc
    if value < 0:
        raise SettingsError(f"{name} must not be negative, got {value}")
    return value


def _wiki_url(env: Mapping[str, str]) -> str | None:
    """The wiki's own address, to which Ardoise adds `/?api/…` (docs/exports.md)."""
    url = (env.get("ARDOISE_YESWIKI_URL") or "").strip()
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise SettingsError(f"ARDOISE_YESWIKI_URL must start with http:// or https://, got {url!r}")
    base = url.rstrip("?")
    parts = urlsplit(base)
    if parts.query or parts.fragment or parts.path.rstrip("/").endswith(".php"):
        # A YesWiki sends `index.php?api/…` to its home page: the publication would fail with
        # a redirect that says nothing of the cause.
        raise SettingsError(
            "ARDOISE_YESWIKI_URL must be the wiki's address with no page, /index.php nor "
            f"?…: e.g. https://wiki.example.org or https://example.org/wiki, got {url!r}"
        )
    for name in ("ARDOISE_YESWIKI_FORM_ID", "ARDOISE_YESWIKI_API_KEY"):
        if not (env.get(name) or "").strip():
            raise SettingsError(f"{name} must be set when ARDOISE_YESWIKI_URL is")
    form_id = (env.get("ARDOISE_YESWIKI_FORM_ID") or "").strip()
    if not form_id.isascii() or not form_id.isdigit():
        raise SettingsError(
            f"ARDOISE_YESWIKI_FORM_ID must be the Bazar form's number, got {form_id!r}"
        )
    field_name = (env.get("ARDOISE_YESWIKI_TEXT_FIELD") or "").strip()
    if field_name and not re.fullmatch(r"[A-Za-z0-9_]+", field_name):
        raise SettingsError(
            f"ARDOISE_YESWIKI_TEXT_FIELD must be a Bazar field name (bf_…), got {field_name!r}"
        )
    return base.rstrip("/")


# An admin token manages every custom template, a metrics token reads the server's measures:
# neither may be guessable.
_MIN_ADMIN_TOKEN_CHARS = 32


def _secret_token(env: Mapping[str, str], name: str) -> str:
    token = (env.get(name) or "").strip()
    if token and len(token) < _MIN_ADMIN_TOKEN_CHARS:
        raise SettingsError(
            f"{name} must be at least {_MIN_ADMIN_TOKEN_CHARS} characters "
            "(e.g. the output of `openssl rand -base64 32`)"
        )
    return token


class LogFormat(StrEnum):
    """How log lines are written (`ARDOISE_LOG_FORMAT`)."""

    TEXT = "text"
    # One JSON object per line, for a log collector.
    JSON = "json"


def _log_format(env: Mapping[str, str]) -> LogFormat:
    raw = (env.get("ARDOISE_LOG_FORMAT") or LogFormat.TEXT.value).strip().lower()
    try:
        return LogFormat(raw)
    except ValueError:
        choices = " or ".join(repr(f.value) for f in LogFormat)
        raise SettingsError(f"ARDOISE_LOG_FORMAT must be {choices}; got {raw!r}") from None


@dataclass(frozen=True, slots=True)
class Limits:
    """Limits announced in `welcome.limits` (docs/protocol.md section 3) and enforced by the
    server (docs/board-schema.md, Limits)."""

    # Below engine.io's buffer (see Settings.transport_buffer_bytes) so an oversized message is
    # refused by an acknowledgement instead of dropping the connection.
    max_message_bytes: int = 1024 * 1024
    # Snapshot plus log of both documents: several times what a 5,000-note board weighs after a
    # long workshop (docs/findings.md, pycrdt: Cost).
    max_board_bytes: int = 32 * 1024 * 1024
    # Kept by clients (docs/board-schema.md, Limits); announced so every client applies the same
    # numbers.
    max_note_chars: int = 2000
    max_notes: int = 5000
    # Writes (document updates) per connection: a sustained rate and a burst.
    writes_per_second: float = 30.0
    write_burst: int = 200
    # Presence frames per connection; cursors are throttled by clients to about 10 per second.
    presence_per_second: float = 30.0
    presence_burst: int = 60
    # One presence state (cursor, name, colour, selection) is small.
    max_presence_bytes: int = 8 * 1024
    # Bytes of document updates stored per client address per minute, all its connections and
    # boards together: one person cannot fill boards as fast as the disk takes them, while a room
    # typing behind one shared address stays far below.
    write_bytes_per_address_per_minute: int = 32 * 1024 * 1024
    # After the board is locked, a participant may still change the text of the note they were
    # writing for this long, so that a lock (or a timer ending) does not cut a sentence mid-word
    # (docs/protocol.md section 7.1, the lock's grace). Long enough to end a sentence, short
    # enough that the lock still means "stop now".
    lock_grace_s: float = 6.0

    def as_welcome(self) -> dict[str, int | float]:
        return {
            "maxMessageBytes": self.max_message_bytes,
            "maxBoardBytes": self.max_board_bytes,
            "maxNoteChars": self.max_note_chars,
            "maxNotes": self.max_notes,
            "writesPerSecond": self.writes_per_second,
            "writeBurst": self.write_burst,
            "maxPresenceBytes": self.max_presence_bytes,
            "lockGraceMs": round(self.lock_grace_s * 1000),
        }


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable; built from the environment by `from_env`."""

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("data")
    database_url: str = ""
    redis_url: str | None = None
    public_url: str | None = None
    cors_origins: tuple[str, ...] = ()
    log_level: str = "info"
    static_dir: Path | None = None
    templates_dir: Path | None = None
    limits: Limits = field(default_factory=Limits)
    # Seconds an empty room stays loaded: participants whose wifi drops come back within this.
    unload_delay_s: float = 30.0
    # Compact a document's log into a snapshot past this many logged updates.
    compact_after_updates: int = 1000
    # A board's outbox holds its messages this long to merge more updates into each, while the
    # board makes at least this many deliveries a second: updates x connections, as if unmerged
    # (server/realtime/merge_window.py).
    merge_window_s: float = 0.004
    merge_from_deliveries_per_s: int = 10_000
    # The event loop's time that SQLite commits may take on it, so that a write is acknowledged
    # before its fan-out (server/storage/transactions.py, server/storage/loop_share.py); 0: always
    # in a thread.
    loop_commit_share: float = 0.2
    # What an acknowledged edit survives with SQLite (SqliteSync): a power cut too, or a crash of
    # the process only, for a cheaper commit.
    sqlite_sync: SqliteSync = SqliteSync.FULL
    # New Socket.IO connections and HTTP board creations/join lookups per client address per minute.
    # Generous: a whole training room of 200 people often shares one public address.
    connects_per_minute: int = 1200
    creations_per_minute: int = 60
    join_lookups_per_minute: int = 600
    # Board tokens that fail to open a board (HTTP API), per client address per minute; past
    # them every token check from that address is refused until the bucket refills.
    token_failures_per_minute: int = 60
    # New participant identities per client address per minute (a reload or a reconnection keeps
    # its identity and costs none): what one browser can mint as voters (docs/protocol.md
    # section 3). A room of more people behind one address joins over a minute or two.
    new_participants_per_minute: int = 60
    # Images sent for image notes per client address per minute (each is decoded and encoded
    # again: work for the server), and what a board's images may weigh in all, as stored.
    image_uploads_per_minute: int = 120
    max_board_image_bytes: int = 32 * 1024 * 1024
    # How long a connection or a health check waits for the database before it is answered
    # `unavailable`; with PostgreSQL also the bound of a connection (a statement: 6 times it).
    storage_timeout_s: float = 5.0
    # Publishing to a YesWiki as a Bazar entry (docs/exports.md); off while the URL is empty.
    yeswiki_url: str | None = None
    yeswiki_form_id: str = ""
    yeswiki_api_key: str = field(default="", repr=False)
    yeswiki_text_field: str = "bf_description"
    yeswiki_timeout_s: float = 20.0
    # Deleted notes kept per board (the oldest go first): a whole board of maxNotes cleared at
    # once still fits.
    trash_max_notes: int = 5000
    # A board that changes gets a version in its history at least this often (seconds)...
    history_interval_s: float = 300.0
    # ...and keeps at most this many, of at most this many bytes in all (uncompressed: four
    # times maxBoardBytes), older ones thinned out first (server/boards/history.py).
    history_max_versions: int = 50
    history_max_bytes: int = 128 * 1024 * 1024
    # Whoever presents it renames and deletes every custom template (docs/templates.md,
    # Ownership); empty: nobody but each template's owner.
    admin_token: str = field(default="", repr=False)
    # Whoever presents it reads `GET /metrics`; empty: the route is not served.
    metrics_token: str = field(default="", repr=False)
    log_format: LogFormat = LogFormat.TEXT

    @property
    def publishes_to_yeswiki(self) -> bool:
        return bool(self.yeswiki_url and self.yeswiki_form_id and self.yeswiki_api_key)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'ardoise.sqlite3').resolve()}"

    @property
    def transport_buffer_bytes(self) -> int:
        """Engine.IO's own limit: above the largest message we accept, with room for framing."""
        return 2 * self.limits.max_message_bytes + 64 * 1024

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        defaults = cls()
        default_limits = Limits()
        static = env.get("ARDOISE_STATIC_DIR")
        templates = env.get("ARDOISE_TEMPLATES_DIR")
        cors = env.get("ARDOISE_CORS_ORIGINS", "")
        limits = Limits(
            max_message_bytes=_int(
                env, "ARDOISE_MAX_MESSAGE_BYTES", default_limits.max_message_bytes, 1024
            ),
            max_board_bytes=_int(
                env, "ARDOISE_MAX_BOARD_BYTES", default_limits.max_board_bytes, 4096
            ),
            writes_per_second=_float(
                env, "ARDOISE_WRITES_PER_SECOND", default_limits.writes_per_second
            ),
            write_burst=_int(env, "ARDOISE_WRITE_BURST", default_limits.write_burst, 1),
            write_bytes_per_address_per_minute=_int(
                env,
                "ARDOISE_WRITE_BYTES_PER_ADDRESS_PER_MINUTE",
                default_limits.write_bytes_per_address_per_minute,
                1024,
            ),
        )
        return cls(
            host=env.get("ARDOISE_HOST") or defaults.host,
            port=_int(env, "ARDOISE_PORT", defaults.port),
            data_dir=Path(env.get("ARDOISE_DATA_DIR") or defaults.data_dir),
            database_url=env.get("ARDOISE_DATABASE_URL", ""),
            redis_url=env.get("ARDOISE_REDIS_URL") or None,
            public_url=(env.get("ARDOISE_PUBLIC_URL") or "").rstrip("/") or None,
            cors_origins=tuple(o.strip() for o in cors.split(",") if o.strip()),
            log_level=(env.get("ARDOISE_LOG_LEVEL") or defaults.log_level).lower(),
            static_dir=Path(static) if static else None,
            templates_dir=Path(templates) if templates else None,
            limits=limits,
            unload_delay_s=_float(env, "ARDOISE_UNLOAD_DELAY_S", defaults.unload_delay_s),
            compact_after_updates=_int(
                env, "ARDOISE_COMPACT_AFTER_UPDATES", defaults.compact_after_updates, 1
            ),
            merge_window_s=_float(env, "ARDOISE_MERGE_WINDOW_MS", defaults.merge_window_s * 1000)
            / 1000,
            merge_from_deliveries_per_s=_int(
                env, "ARDOISE_MERGE_FROM_DELIVERIES", defaults.merge_from_deliveries_per_s
            ),
            loop_commit_share=_share(env, "ARDOISE_LOOP_COMMIT_SHARE", defaults.loop_commit_share),
            sqlite_sync=_sqlite_sync(env),
            connects_per_minute=_int(
                env, "ARDOISE_CONNECTS_PER_MINUTE", defaults.connects_per_minute, 1
            ),
            creations_per_minute=_int(
                env, "ARDOISE_CREATIONS_PER_MINUTE", defaults.creations_per_minute, 1
            ),
            join_lookups_per_minute=_int(
                env, "ARDOISE_JOIN_LOOKUPS_PER_MINUTE", defaults.join_lookups_per_minute, 1
            ),
            token_failures_per_minute=_int(
                env, "ARDOISE_TOKEN_FAILURES_PER_MINUTE", defaults.token_failures_per_minute, 1
            ),
            new_participants_per_minute=_int(
                env, "ARDOISE_NEW_PARTICIPANTS_PER_MINUTE", defaults.new_participants_per_minute, 1
            ),
            image_uploads_per_minute=_int(
                env, "ARDOISE_IMAGE_UPLOADS_PER_MINUTE", defaults.image_uploads_per_minute, 1
            ),
            max_board_image_bytes=_int(
                env, "ARDOISE_MAX_BOARD_IMAGE_BYTES", defaults.max_board_image_bytes, 1024
            ),
            storage_timeout_s=_float(env, "ARDOISE_STORAGE_TIMEOUT_S", defaults.storage_timeout_s)
            or defaults.storage_timeout_s,
            yeswiki_url=_wiki_url(env),
            yeswiki_form_id=(env.get("ARDOISE_YESWIKI_FORM_ID") or "").strip(),
            yeswiki_api_key=(env.get("ARDOISE_YESWIKI_API_KEY") or "").strip(),
            yeswiki_text_field=(env.get("ARDOISE_YESWIKI_TEXT_FIELD") or "").strip()
            or defaults.yeswiki_text_field,
            yeswiki_timeout_s=_float(env, "ARDOISE_YESWIKI_TIMEOUT_S", defaults.yeswiki_timeout_s),
            trash_max_notes=_int(env, "ARDOISE_TRASH_NOTES", defaults.trash_max_notes, 1),
            history_interval_s=_float(
                env, "ARDOISE_HISTORY_INTERVAL_S", defaults.history_interval_s
            ),
            history_max_versions=_int(
                env, "ARDOISE_HISTORY_VERSIONS", defaults.history_max_versions, 1
            ),
            history_max_bytes=_int(
                env, "ARDOISE_HISTORY_MAX_BYTES", defaults.history_max_bytes, 4096
            ),
            admin_token=_secret_token(env, "ARDOISE_ADMIN_TOKEN"),
            metrics_token=_secret_token(env, "ARDOISE_METRICS_TOKEN"),
            log_format=_log_format(env),
        )
