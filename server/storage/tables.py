"""Database tables: boards, the append-only update log, document snapshots and their parts,
votes, the keys that sign participants' credentials, custom templates, the trash of deleted notes,
the boards' earlier versions, the images of image notes and workshops (boards grouped behind one
join code)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# SQLite only auto-increments an INTEGER PRIMARY KEY (its rowid); PostgreSQL wants a BIGINT.
_LogId = BigInteger().with_variant(Integer(), "sqlite")

boards = Table(
    "boards",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("template", String(64), nullable=False),
    Column("locale", String(8), nullable=False),
    Column("join_code", String(16), nullable=False, unique=True),
    Column("join_open", Boolean, nullable=False, default=True),
    # The facilitator token is only ever compared, so only its SHA-256 is kept. The participant
    # and observer tokens are handed out again (join code lookup, facilitator's share dialog).
    Column("facilitator_token_sha256", String(64), nullable=False),
    Column("participant_token", String(64), nullable=False),
    Column("observer_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

updates = Table(
    "updates",
    metadata,
    Column("id", _LogId, primary_key=True, autoincrement=True),
    Column("board_id", String(32), ForeignKey("boards.id", ondelete="CASCADE"), nullable=False),
    # "layout", "notes", or "private:<participant id>" (a participant's private-phase notes).
    Column("doc", String(80), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Index("ix_updates_board_doc_id", "board_id", "doc", "id"),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("board_id", String(32), ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
    Column("doc", String(80), primary_key=True),
    Column("data", LargeBinary, nullable=False),
    # Every log row with an id up to this one is contained in `data` and was deleted.
    Column("covered_id", BigInteger, nullable=False),
)

# A big document's log merged a bounded slice at a time (server/boards/doc_state.py): loaded
# after the snapshot and before the log, each applied in a turn of its own, so that loading a big
# board never holds the event loop for long. Ids give the order parts were written in.
snapshot_parts = Table(
    "snapshot_parts",
    metadata,
    Column("id", _LogId, primary_key=True, autoincrement=True),
    Column("board_id", String(32), ForeignKey("boards.id", ondelete="CASCADE"), nullable=False),
    Column("doc", String(80), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Index("ix_snapshot_parts_board_doc_id", "board_id", "doc", "id"),
)

votes = Table(
    "votes",
    metadata,
    Column("board_id", String(32), ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
    Column("participant_id", String(64), primary_key=True),
    Column("note_id", String(64), primary_key=True),
    Column("count", Integer, nullable=False),
)

# One random key per board, made when its first participant connects: the server signs the
# credentials it issues with it (server/realtime/identities.py), so any process sharing the
# database can check them. Never sent to a client.
identity_keys = Table(
    "identity_keys",
    metadata,
    Column("board_id", String(32), ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
    Column("key", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

custom_templates = Table(
    "custom_templates",
    metadata,
    Column("id", String(64), primary_key=True),
    # The template file itself (TOML, the same format as templates/*.toml).
    Column("source", String, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # SHA-256 of the key handed to the author when it was saved or imported: only its holder
    # (or the server's admin) lists, renames and deletes it. None: made before owners existed,
    # managed by the admin only.
    Column("owner_sha256", String(64), nullable=True),
    # The owner's rename, shown instead of the file's own name and description (both languages).
    Column("name", String(200), nullable=True),
    Column("description", Text, nullable=True),
    Index("ix_custom_templates_owner", "owner_sha256"),
)

# Notes deleted from a board's `notes` document, with their last content (docs/board-schema.md,
# Trash): the author and the facilitator restore them. Bounded per board, oldest dropped
# (server/storage/trash_store.py).
trash = Table(
    "trash",
    metadata,
    Column("id", _LogId, primary_key=True, autoincrement=True),
    Column("board_id", String(32), ForeignKey("boards.id", ondelete="CASCADE"), nullable=False),
    Column("note_id", String(255), nullable=False),
    # The note's `authorId`, copied out of its content: a participant lists only their own.
    Column("author_id", String(64), nullable=False),
    # The note's plain values as JSON (text, colour, position, zone, author...).
    Column("content", Text, nullable=False),
    Column("deleted_at_ms", Float, nullable=False),
    Column("deleted_by_id", String(64), nullable=False),
    Column("deleted_by_name", String(80), nullable=False),
    Column("deleted_by_role", String(16), nullable=False),
    Index("ix_trash_board_id", "board_id", "id"),
)

# Earlier versions of a board's shared documents (`layout`, `notes`), each a full state,
# compressed; thinned out as they age (server/boards/history.py).
versions = Table(
    "versions",
    metadata,
    Column("id", _LogId, primary_key=True, autoincrement=True),
    Column("board_id", String(32), ForeignKey("boards.id", ondelete="CASCADE"), nullable=False),
    Column("created_at_ms", Float, nullable=False),
    # Why it was kept: "auto", "before_restore", "before_import", "before_delete", "session_end".
    Column("reason", String(32), nullable=False),
    # Who made it happen: the names of those who edited since the previous one, or who restored.
    Column("made_by", String(200), nullable=False),
    Column("note_count", Integer, nullable=False),
    # Uncompressed size of both documents, which the history's byte bound counts.
    Column("size", BigInteger, nullable=False),
    Column("layout", LargeBinary, nullable=False),
    Column("notes", LargeBinary, nullable=False),
    Index("ix_versions_board_id", "board_id", "id"),
)

# A workshop's boards share its tokens (docs/protocol.md section 2.10); the join code is the
# workshop's, in the same space as boards' codes (a lookup tries both).
workshops = Table(
    "workshops",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("locale", String(8), nullable=False),
    Column("join_code", String(16), nullable=False, unique=True),
    Column("join_open", Boolean, nullable=False),
    Column("facilitator_token_sha256", String(64), nullable=False),
    Column("participant_token", String(64), nullable=False),
    Column("observer_token", String(64), nullable=False),
    # The planned rounds, as JSON: [{label, prompt, durationMs}].
    Column("rounds", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Which boards a workshop holds, in order: its tables, then its plenary. A board is in one
# workshop at most.
workshop_boards = Table(
    "workshop_boards",
    metadata,
    Column(
        "workshop_id", String(32), ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False
    ),
    Column("board_id", String(32), ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),
    # "table" or "plenary".
    Column("kind", String(16), nullable=False),
    # What the table works on (also in its layout's meta.question, shown on the board).
    Column("question", Text, nullable=False),
    Index("ix_workshop_boards_workshop", "workshop_id", "position"),
)
# The pictures of image notes (docs/board-schema.md, Images), as the server re-encoded them
# (server/boards/images.py); a note names one by its id. Deleted with their board.
images = Table(
    "images",
    metadata,
    Column("board_id", String(32), ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
    # 128 random bits, URL-safe: unguessable, like a board id.
    Column("id", String(32), primary_key=True),
    # "image/png" or "image/jpeg": what the server wrote, never what the sender claimed.
    Column("media_type", String(32), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
