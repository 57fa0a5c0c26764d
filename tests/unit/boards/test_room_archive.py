"""What a room keeps of what changes (server/boards/archive.py), with an in-memory Archive at the
room's seam: deleted notes before the deleting update is acknowledged, versions on time."""

from __future__ import annotations

import asyncio
import gc
import json
import weakref
from collections.abc import Sequence
from typing import Any

import pytest
from pycrdt import Doc, Map

from server.boards.archive import CAPTURE_IN_THREAD_FROM
from server.boards.history import NewVersion, read_version
from server.boards.presence import PresenceEntry, encode_presence
from server.boards.room import BoardRoom, Member
from server.boards.trash import DeletedNote
from server.errors import ArdoiseError
from server.protocol import DocName, Role
from server.settings import Limits
from tests.support.waiting import eventually
from tests.unit.boards.test_room import (
    EMPTY,
    FACILITATOR,
    PARTICIPANT,
    MemoryPersister,
    RecordingOutbox,
    note_update,
)


class MemoryArchive:
    """Keeps deleted notes and versions in lists; the trash answers when told, like a database."""

    def __init__(self, history_interval_s: float = 3600.0) -> None:
        self.history_interval_s = history_interval_s
        self.deleted: list[DeletedNote] = []
        self.versions: list[NewVersion] = []
        self.pending: list[asyncio.Future[None]] = []

    def keep_deleted(self, board_id: str, notes: Sequence[DeletedNote]) -> asyncio.Future[None]:
        self.deleted.extend(notes)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.pending.append(done)
        return done

    def keep_version(self, board_id: str, version: NewVersion) -> asyncio.Future[int]:
        self.versions.append(version)
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        done.set_result(len(self.versions))
        return done

    def store_all(self) -> None:
        for done in self.pending:
            done.set_result(None)
        self.pending.clear()


def make_room(archive: MemoryArchive) -> tuple[BoardRoom, MemoryPersister]:
    persister = MemoryPersister()
    room = BoardRoom(
        "board",
        {n: EMPTY for n in DocName},
        RecordingOutbox(),
        persister,
        Limits(),
        archive=archive,
    )
    return room, persister


def deletion(doc: Doc[Any], *note_ids: str) -> bytes:
    before = doc.get_state()
    with doc.transaction():
        notes = doc.get("notes", type=Map)
        for note_id in note_ids:
            del notes[note_id]
    return doc.get_update(before)


async def test_a_deletion_is_acknowledged_once_both_the_update_and_the_trash_are_stored() -> None:
    archive = MemoryArchive()
    room, persister = make_room(archive)
    client: Doc[Any] = Doc()
    room.apply(DocName.NOTES, note_update(client, "n1", "à garder"), PARTICIPANT)
    persister.commit_all()
    stored = room.apply(DocName.NOTES, deletion(client, "n1"), FACILITATOR)
    assert stored is not None
    [kept] = archive.deleted
    assert kept.note_id == "n1" and kept.note["text"] == "à garder"
    assert kept.note["authorId"] == PARTICIPANT.participant_id
    assert (kept.deleted_by.name, kept.deleted_by.role) == ("Fanny", "facilitator")
    persister.commit_all()
    await asyncio.sleep(0)
    assert not stored.done()  # the update is stored, its deleted note not yet
    archive.store_all()
    assert await stored > 0


async def test_a_changed_board_gets_a_version_on_time_and_one_when_it_closes() -> None:
    archive = MemoryArchive(history_interval_s=0.05)
    room, persister = make_room(archive)
    client: Doc[Any] = Doc()
    room.apply(DocName.NOTES, note_update(client, "n1"), PARTICIPANT)
    await eventually(lambda: len(archive.versions) == 1, 2)
    [version] = archive.versions
    assert (version.reason, version.made_by, version.note_count) == ("auto", "Paul", 1)
    await asyncio.sleep(0.15)
    assert len(archive.versions) == 1  # nothing changed since: no new version
    room.apply(DocName.NOTES, note_update(client, "n2", author_id="pf"), FACILITATOR)
    room.close()
    assert [v.reason for v in archive.versions] == ["auto", "session_end"]
    assert archive.versions[-1].note_count == 2 and archive.versions[-1].made_by == "Fanny"
    persister.commit_all()


async def test_a_change_deleting_many_notes_is_preceded_by_a_version_of_the_board_as_it_was() -> (
    None
):
    archive = MemoryArchive()
    room, persister = make_room(archive)
    client: Doc[Any] = Doc()
    for i in range(12):
        room.apply(DocName.NOTES, note_update(client, f"n{i}"), PARTICIPANT)
    room.apply(DocName.NOTES, deletion(client, *(f"n{i}" for i in range(12))), FACILITATOR)
    [before] = archive.versions
    assert (before.reason, before.made_by, before.note_count) == ("before_delete", "Fanny", 12)
    assert len(read_version(before.notes).get("notes", type=Map)) == 12
    assert len(archive.deleted) == 12
    # A second clear within the minute gets no second version (its notes are in the trash).
    for i in range(12):
        room.apply(DocName.NOTES, note_update(client, f"m{i}"), PARTICIPANT)
    room.apply(DocName.NOTES, deletion(client, *(f"m{i}" for i in range(12))), FACILITATOR)
    assert len(archive.versions) == 1 and len(archive.deleted) == 24
    archive.store_all()
    persister.commit_all()
    room.close()


async def test_a_closed_room_is_freed_at_once_not_at_the_next_collection() -> None:
    # Regression: the archivist held the room (for its documents), a reference cycle: an
    # unloaded board's memory waited for a full collection, which gc.freeze makes rare.
    archive = MemoryArchive(history_interval_s=0.01)
    room, persister = make_room(archive)
    room.apply(DocName.NOTES, note_update(Doc(), "n1"), PARTICIPANT)
    persister.commit_all()
    room.close()
    await room.archived()
    gone = weakref.ref(room)
    gc.disable()  # only reference counting may free it, as in the server
    try:
        del room
        assert gone() is None
    finally:
        gc.enable()


async def test_a_whole_board_deleted_at_once_is_read_beside_the_event_loop_and_all_kept() -> None:
    archive = MemoryArchive()
    room, persister = make_room(archive)
    client: Doc[Any] = Doc()
    count = CAPTURE_IN_THREAD_FROM + 50
    for i in range(count):
        room.apply(DocName.NOTES, note_update(client, f"n{i}", f"idée {i}"), PARTICIPANT)
    persister.commit_all()
    everything = deletion(client, *(f"n{i}" for i in range(count)))
    stored = room.apply(DocName.NOTES, everything, FACILITATOR)
    assert stored is not None
    assert archive.deleted == []  # being read in a thread; the board has them deleted already
    assert len(room.doc(DocName.NOTES).get("notes", type=Map)) == 0
    persister.commit_all()
    await eventually(lambda: len(archive.deleted) == count, 10)
    assert not stored.done()  # acknowledged only once they are stored
    archive.store_all()
    await stored
    assert {n.note["text"] for n in archive.deleted} == {f"idée {i}" for i in range(count)}
    [before] = archive.versions
    assert before.note_count == count
    room.close()


async def test_the_name_given_after_connecting_is_the_one_the_trash_keeps() -> None:
    archive = MemoryArchive()
    room, persister = make_room(archive)
    late = Member("z", Role.FACILITATOR, "pz", "")  # connected before choosing a name
    state = {"participantId": "pz", "role": "facilitator", "name": " Zoé\x07 "}
    room.apply_presence(late, encode_presence([PresenceEntry(7, 1, json.dumps(state))]))
    client: Doc[Any] = Doc()
    room.apply(DocName.NOTES, note_update(client, "n1"), PARTICIPANT)
    room.apply(DocName.NOTES, deletion(client, "n1"), late)
    assert archive.deleted[0].deleted_by.name == "Zoé"
    # A presence refused for naming someone else changes no name.
    forged = {"participantId": "pp", "name": "Paul"}
    with pytest.raises(ArdoiseError):
        room.apply_presence(late, encode_presence([PresenceEntry(7, 2, json.dumps(forged))]))
    assert late.name == "Zoé"
    archive.store_all()
    persister.commit_all()
