"""BoardRoom on its own: the path of an edit, refusals, presence, compaction bookkeeping.

The only fakes are at the room's injected seams (Outbox, Persister), the one place a fake may stand.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pycrdt import Doc, Map, Text

from server.boards.presence import PresenceEntry, encode_presence
from server.boards.records import PendingVote, StoredDoc
from server.boards.room import BoardRoom, Member
from server.errors import ArdoiseError
from server.protocol import (
    DocName,
    ErrorCode,
    Event,
    Role,
    decode_frame,
    encode_awareness,
    encode_update,
)
from server.settings import Limits


class RecordingOutbox:
    """Records what the room sends, framed as it reaches the members (board-wide or to one)."""

    def __init__(self) -> None:
        self.to_all: list[tuple[str, tuple[Any, ...], str | None]] = []
        self.to_one: list[tuple[str, str, tuple[Any, ...]]] = []

    def update(self, doc_name: str, update: bytes, exclude: str | None) -> None:
        self.to_all.append((Event.Y, (doc_name, encode_update(update)), exclude))

    def presence(self, payload: bytes, exclude: str | None) -> None:
        self.to_all.append((Event.Y, (DocName.NOTES.value, encode_awareness(payload)), exclude))

    def to_member(self, sid: str, event: str, args: tuple[Any, ...]) -> None:
        self.to_one.append((sid, event, args))

    def close(self) -> None:
        pass


class MemoryPersister:
    """Keeps updates in a list; commits when told, like a database that answers later."""

    compact_after_updates = 1_000_000  # the tests below compact by hand

    def __init__(self) -> None:
        self.log: list[tuple[str, bytes]] = []
        self.pending: list[tuple[str, str, bytes, asyncio.Future[int]]] = []
        # Set by a test: storage is failing for this reason.
        self.failure: str | None = None

    async def durable(self, stored: asyncio.Future[int]) -> int:
        return await stored

    def persist(self, board_id: str, doc_key: str, update: bytes) -> asyncio.Future[int]:
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.pending.append((board_id, doc_key, update, done))
        return done

    def persist_vote(self, vote: PendingVote) -> asyncio.Future[int]:
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        done.set_result(0)
        return done

    def compact(
        self, board_id: str, doc_key: str, snapshot: bytes, row_ids: list[int], merge: bool
    ) -> asyncio.Future[bool]:
        raise AssertionError("no compaction is due in these tests")

    def compact_rows(self, board_id: str, doc_key: str, row_ids: list[int]) -> asyncio.Future[int]:
        raise AssertionError("no compaction is due in these tests")

    def commit_all(self) -> None:
        """Commit every pending update; the room learns it in the turn after, as from a database."""
        for _, doc_key, update, done in self.pending:
            self.log.append((doc_key, update))
            done.set_result(len(self.log))
        self.pending.clear()


EMPTY = StoredDoc(snapshot=None, updates=[], last_id=0)
FACILITATOR = Member("f", Role.FACILITATOR, "pf", "Fanny")
PARTICIPANT = Member("p", Role.PARTICIPANT, "pp", "Paul")
OBSERVER = Member("o", Role.OBSERVER, "po", "Olga")


def make_room(limits: Limits | None = None) -> tuple[BoardRoom, RecordingOutbox, MemoryPersister]:
    outbox, persister = RecordingOutbox(), MemoryPersister()
    room = BoardRoom("board", {n: EMPTY for n in DocName}, outbox, persister, limits or Limits())
    return room, outbox, persister


def note_update(
    doc: Doc[Any], note_id: str, text: str = "idée", author_id: str = PARTICIPANT.participant_id
) -> bytes:
    """A new note as the web client writes it, by `author_id` (the participant's, by default)."""
    before = doc.get_state()
    with doc.transaction():
        doc.get("notes", type=Map)[note_id] = Map(
            {"text": Text(text), "rect": [0, 0, 10, 10], "authorId": author_id}
        )
    return doc.get_update(before)


def refusal(call: Any) -> str:
    with pytest.raises(ArdoiseError) as caught:
        call()
    return caught.value.code.value


async def test_accepted_update_is_applied_relayed_to_others_and_persisted() -> None:
    room, outbox, persister = make_room()
    update = note_update(Doc(), "n1")
    stored = room.apply(DocName.NOTES, update, PARTICIPANT)
    assert stored is not None and not stored.done()
    assert room.doc(DocName.NOTES).get("notes", type=Map).to_py()["n1"]["text"] == "idée"
    [(event, (doc_name, frame), exclude)] = outbox.to_all
    assert (event, doc_name, exclude) == ("y", "notes", "p")
    assert decode_frame(frame)[2] == update
    assert not room.is_flushed
    persister.commit_all()
    await stored
    await asyncio.sleep(0)  # the room learns of the commit from the future, in the next turn
    assert room.is_flushed and persister.log == [(DocName.NOTES, update)]


async def test_an_update_adding_nothing_is_neither_stored_nor_relayed() -> None:
    room, outbox, persister = make_room()
    update = note_update(Doc(), "n1")
    first = room.apply(DocName.NOTES, update, PARTICIPANT)
    outbox.to_all.clear()
    # Resent before the first is stored: acknowledged with it, once durable, not before.
    assert room.apply(DocName.NOTES, update, PARTICIPANT) is first
    assert room.apply(DocName.NOTES, update, OBSERVER) is None
    assert outbox.to_all == [] and len(persister.pending) == 1
    persister.commit_all()
    await asyncio.sleep(0)
    assert room.apply(DocName.NOTES, update, PARTICIPANT) is None
    assert outbox.to_all == [] and len(persister.log) == 1


async def test_while_storage_fails_nothing_is_applied_relayed_or_stored() -> None:
    room, outbox, persister = make_room()
    held = note_update(Doc(), "held")
    accepted = room.apply(DocName.NOTES, held, PARTICIPANT)
    persister.failure = "the disk is full"
    outbox.to_all.clear()
    with pytest.raises(ArdoiseError) as refused:
        room.apply(DocName.NOTES, note_update(Doc(), "n2"), PARTICIPANT)
    assert refused.value.code is ErrorCode.UNAVAILABLE
    assert "the disk is full" in refused.value.message
    assert outbox.to_all == [] and len(persister.pending) == 1
    assert set(room.doc(DocName.NOTES).get("notes", type=Map).keys()) == {"held"}
    # What was accepted before is kept, and a resend of it waits for it to be stored.
    assert room.apply(DocName.NOTES, held, PARTICIPANT) is accepted
    persister.failure = None
    persister.commit_all()
    await asyncio.sleep(0)
    assert room.is_flushed and [u for _, u in persister.log] == [held]


@pytest.mark.parametrize(
    ("writer", "doc_name", "code"),
    [
        (PARTICIPANT, DocName.LAYOUT, "forbidden"),
        (OBSERVER, DocName.NOTES, "forbidden"),
        (OBSERVER, DocName.LAYOUT, "forbidden"),
    ],
)
async def test_roles_are_enforced(writer: Member, doc_name: DocName, code: str) -> None:
    room, outbox, persister = make_room()
    update = note_update(Doc(), "n1")
    assert refusal(lambda: room.apply(doc_name, update, writer)) == code
    assert outbox.to_all == [] and persister.pending == []
    assert room.doc(doc_name).get("notes", type=Map).to_py() in ({}, None)


async def test_lock_stops_participants_only() -> None:
    room, _, _ = make_room()
    layout: Doc[Any] = Doc()
    layout.get("meta", type=Map)["locked"] = True
    room.apply(DocName.LAYOUT, layout.get_update(), FACILITATOR)
    assert room.is_locked
    assert (
        refusal(lambda: room.apply(DocName.NOTES, note_update(Doc(), "a"), PARTICIPANT))
        == "board_locked"
    )
    facilitators_note = note_update(Doc(), "b", author_id=FACILITATOR.participant_id)
    assert room.apply(DocName.NOTES, facilitators_note, FACILITATOR) is not None


async def test_gaps_unknown_references_and_unknown_deletes_are_out_of_sync() -> None:
    room, outbox, _ = make_room()
    client: Doc[Any] = Doc()
    first = note_update(client, "a")
    second = note_update(client, "b")
    assert refusal(lambda: room.apply(DocName.NOTES, second, PARTICIPANT)) == "out_of_sync"
    # An item placed after another client's item that the board never received.
    other: Doc[Any] = Doc()
    other.apply_update(first)
    before = other.get_state()
    other.get("notes", type=Map)["a"]["text"] += " !"
    builds_on_first = other.get_update(before)
    assert refusal(lambda: room.apply(DocName.NOTES, builds_on_first, PARTICIPANT)) == "out_of_sync"
    assert outbox.to_all == []
    assert room.apply(DocName.NOTES, first, PARTICIPANT) is not None
    assert room.apply(DocName.NOTES, second, PARTICIPANT) is not None
    assert room.apply(DocName.NOTES, builds_on_first, PARTICIPANT) is not None


async def test_malformed_oversized_and_too_big_for_the_board() -> None:
    room, _, _ = make_room(Limits(max_message_bytes=2000, max_board_bytes=3000))
    assert refusal(lambda: room.apply(DocName.NOTES, b"\x01\x02\x03", PARTICIPANT)) == "malformed"
    big = note_update(Doc(), "big", "x" * 2500)
    assert refusal(lambda: room.apply(DocName.NOTES, big, PARTICIPANT)) == "payload_too_large"
    room.apply(DocName.NOTES, note_update(Doc(), "a", "y" * 1500), PARTICIPANT)
    assert (
        refusal(lambda: room.apply(DocName.NOTES, note_update(Doc(), "b", "z" * 1600), PARTICIPANT))
        == "invalid"
    )


async def test_server_edits_take_the_same_path() -> None:
    room, outbox, persister = make_room()
    stored = room.edit(DocName.LAYOUT, lambda d: d.get("meta", type=Map).__setitem__("title", "T"))
    assert stored is not None and len(outbox.to_all) == 1 and len(persister.pending) == 1
    assert room.doc(DocName.LAYOUT).get("meta", type=Map)["title"] == "T"


async def test_snapshot_covers_committed_updates_and_keeps_accounting() -> None:
    room, _, persister = make_room()
    for i in range(5):
        room.apply(DocName.NOTES, note_update(Doc(), f"n{i}"), PARTICIPANT)
    persister.commit_all()
    await asyncio.sleep(0)  # the room learns of the commits from their futures
    room.apply(DocName.NOTES, note_update(Doc(), "in-flight"), PARTICIPANT)
    assert room.needs_compaction(DocName.NOTES, 5)
    snapshot = room.take_snapshot(DocName.NOTES)
    assert snapshot is not None and snapshot.row_ids == [1, 2, 3, 4, 5] and snapshot.in_flight == 1
    assert not room.needs_compaction(DocName.NOTES, 1)  # one compaction at a time
    fresh: Doc[Any] = Doc()
    fresh.apply_update(snapshot.data)
    assert set(fresh.get("notes", type=Map).to_py()) == {f"n{i}" for i in range(5)} | {"in-flight"}
    room.on_compacted(DocName.NOTES, snapshot, succeeded=True)
    in_flight_bytes = len(persister.pending[0][2])
    layout_bytes = 0
    assert room.stored_bytes == len(snapshot.data) + in_flight_bytes + layout_bytes


async def test_snapshot_is_refused_when_state_disagrees() -> None:
    room, _, _ = make_room()
    room.apply(DocName.NOTES, note_update(Doc(), "n"), PARTICIPANT)
    room._states[DocName.NOTES].state[123] = 7  # as if something were pending
    assert room.take_snapshot(DocName.NOTES) is None


async def test_presence_is_relayed_owned_and_removed_on_leave() -> None:
    room, outbox, _ = make_room()
    room.join(PARTICIPANT, {"hello": 1})
    room.join(OBSERVER, {"hello": 2})
    payload = encode_presence([PresenceEntry(42, 1, '{"name": "Paul"}')])
    room.apply_presence(PARTICIPANT, payload)
    assert outbox.to_all[-1][2] == "p"
    assert refusal(lambda: room.apply_presence(OBSERVER, payload)) == "forbidden"
    room.answer_step1(OBSERVER, DocName.NOTES, b"\x00")
    assert outbox.to_one[-1][0] == "o"  # the states of those present follow the step 2
    room.leave("p")
    _, (doc_name, frame), exclude = outbox.to_all[-1]
    assert exclude is None and doc_name == "notes"
    assert b"null" in frame
