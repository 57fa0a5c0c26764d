"""SocketOutbox on a real SocketServer: order, merging, framing, counters, read from the queues."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from pycrdt import (
    Decoder,
    Doc,
    Map,
    YMessageType,
    YSyncMessageType,
    create_update_message,
)

from server.boards.presence import PresenceEntry, encode_presence, parse_presence
from server.realtime.merge_window import MergeWindow
from server.realtime.outbox import _MAX_MERGE, SocketOutbox
from server.realtime.socket_server import SocketServer
from tests.support.socket_peers import Peer, joined_peer
from tests.support.waiting import eventually

BOARD = "board-1"


@dataclass(slots=True)
class Board:
    sio: SocketServer
    outbox: SocketOutbox
    a: Peer
    b: Peer
    c: Peer
    marks: int = 0  # messages of `settle`'s own

    @property
    def peers(self) -> list[Peer]:
        return [self.a, self.b, self.c]

    async def settle(self) -> dict[str, list[list[Any]]]:
        """Each member's events (by sid) up to a mark queued after all the test queued: once
        every member has its mark, everything before it has been delivered."""
        got: dict[str, list[list[Any]]] = {str(p.sid): [] for p in self.peers}
        for peer in self.peers:
            self.outbox.to_member(str(peer.sid), "mark", ())

        def all_marked() -> bool:
            for peer in self.peers:
                got[str(peer.sid)] += peer.events()
            return all(events[-1:] == [["mark"]] for events in got.values())

        self.marks += len(self.peers)
        await eventually(all_marked, what="every member's mark")
        return {sid: events[:-1] for sid, events in got.items()}

    @property
    def counters(self) -> tuple[int, int]:
        """The outbox's (messages, merged updates), but for the marks."""
        return self.outbox.messages - self.marks, self.outbox.merged_updates


@pytest.fixture
async def board() -> AsyncIterator[Board]:
    sio = SocketServer(async_mode="asgi")
    peers = [await joined_peer(sio, BOARD) for _ in range(3)]
    outbox = SocketOutbox(sio, BOARD, sio.delivery, MergeWindow(0, 0))
    yield Board(sio, outbox, *peers)
    outbox.close()


def note(note_id: str, doc: Doc[Any] | None = None) -> bytes:
    """An update adding one note, by a new client unless `doc` is given."""
    doc = doc if doc is not None else Doc()
    before = doc.get_state()
    doc.get("notes", type=Map)[note_id] = {"text": note_id}
    return doc.get_update(before)


def update_in(frame: bytes) -> bytes:
    """The document update a y-protocols SYNC_UPDATE frame carries, read as pycrdt reads it."""
    decoder = Decoder(frame)
    assert decoder.read_var_uint() == YMessageType.SYNC
    assert decoder.read_var_uint() == YSyncMessageType.SYNC_UPDATE
    return decoder.read_message()


def notes_in(events: list[list[Any]], doc: str = "notes") -> list[set[str]]:
    """For each `y` update of `doc` received, the notes it carries."""
    found = []
    for name, *args in events:
        assert name == "y" and args[0] in ("notes", "layout"), (name, args)
        if args[0] == doc:
            state: Doc[Any] = Doc()
            state.apply_update(update_in(args[1]))
            found.append(set(state.get("notes", type=Map).keys()))
    return found


def presence(client_id: int, clock: int, cursor: int | None) -> bytes:
    state = "null" if cursor is None else json.dumps({"cursor": cursor})
    return encode_presence([PresenceEntry(client_id, clock, state)])


def presence_in(events: list[list[Any]]) -> list[set[tuple[int, int, str]]]:
    """For each awareness message received, its (client id, clock, state) entries."""
    found = []
    for name, doc, frame in events:
        assert (name, doc) == ("y", "notes")
        decoder = Decoder(frame)
        assert decoder.read_var_uint() == YMessageType.AWARENESS
        entries = parse_presence(decoder.read_message(), 1 << 20)
        found.append({(e.client_id, e.clock, e.state) for e in entries})
    return found


async def test_one_update_reaches_the_others_framed_exactly_as_y_protocols_frames_it(
    board: Board,
) -> None:
    update = note("n1")
    board.outbox.update("notes", update, str(board.a.sid))
    got = await board.settle()
    assert got[board.a.sid] == []
    for peer in (board.b, board.c):
        assert got[peer.sid] == [["y", "notes", create_update_message(update)]]
        assert update_in(got[peer.sid][0][2]) == update
    assert board.counters == (1, 0)


async def test_a_message_to_one_member_keeps_its_place_between_two_updates(board: Board) -> None:
    first, second = note("first"), note("second")
    board.outbox.update("notes", first, str(board.a.sid))
    board.outbox.to_member(str(board.b.sid), "welcome", ({"hello": "b"},))
    board.outbox.update("notes", second, str(board.a.sid))
    got = await board.settle()
    # Not merged across the welcome: one update before it, one after.
    assert got[board.b.sid] == [
        ["y", "notes", create_update_message(first)],
        ["welcome", {"hello": "b"}],
        ["y", "notes", create_update_message(second)],
    ]
    assert notes_in(got[board.c.sid]) == [{"first"}, {"second"}]
    assert board.counters == (3, 0)


async def test_gathered_updates_are_merged_and_no_sender_gets_its_own_back(board: Board) -> None:
    a, b, c = (str(p.sid) for p in board.peers)
    board.outbox.update("notes", note("from-a"), a)
    board.outbox.update("notes", note("from-b"), b)
    board.outbox.update("notes", note("from-server"), None)
    got = await board.settle()
    assert notes_in(got[c]) == [{"from-a", "from-b", "from-server"}]
    assert notes_in(got[a]) == [{"from-b", "from-server"}]
    assert notes_in(got[b]) == [{"from-a", "from-server"}]
    # One merge for everyone else, one for each sender.
    assert board.counters == (3, 3)


async def test_a_sender_of_every_gathered_update_gets_nothing(board: Board) -> None:
    doc: Doc[Any] = Doc()
    a = str(board.a.sid)
    board.outbox.update("notes", note("one", doc), a)
    board.outbox.update("notes", note("two", doc), a)
    got = await board.settle()
    assert got[a] == []
    assert notes_in(got[board.b.sid]) == notes_in(got[board.c.sid]) == [{"one", "two"}]
    assert board.counters == (1, 2)


async def test_updates_of_each_document_are_merged_apart(board: Board) -> None:
    a = str(board.a.sid)
    board.outbox.update("notes", note("n1"), a)
    board.outbox.update("layout", note("l1"), a)
    board.outbox.update("notes", note("n2"), a)
    got = await board.settle()
    received = got[board.b.sid]
    assert notes_in(received, "notes") == [{"n1", "n2"}]
    assert notes_in(received, "layout") == [{"l1"}]
    assert len(received) == 2


async def test_more_updates_than_one_merge_takes_go_in_several_messages(board: Board) -> None:
    doc: Doc[Any] = Doc()
    count = _MAX_MERGE + 1
    for i in range(count):
        board.outbox.update("notes", note(f"n{i}", doc), str(board.a.sid))
    got = await board.settle()
    first, second = notes_in(got[board.b.sid])
    assert first == {f"n{i}" for i in range(_MAX_MERGE)}
    assert second == {f"n{_MAX_MERGE}"}
    assert got[board.a.sid] == []
    assert board.counters == (2, _MAX_MERGE)


async def test_presence_is_merged_to_the_latest_state_of_each_client(board: Board) -> None:
    a, b, c = (str(p.sid) for p in board.peers)
    board.outbox.presence(presence(1, 1, cursor=10), a)
    board.outbox.presence(presence(2, 1, cursor=20), b)
    board.outbox.presence(presence(1, 2, cursor=11), a)
    board.outbox.presence(presence(3, 4, cursor=None), None)  # someone elsewhere left
    got = await board.settle()
    latest_of_1 = (1, 2, '{"cursor": 11}')
    of_2, left = (2, 1, '{"cursor": 20}'), (3, 4, "null")
    assert presence_in(got[c]) == [{latest_of_1, of_2, left}]
    assert presence_in(got[a]) == [{of_2, left}]
    assert presence_in(got[b]) == [{latest_of_1, left}]


async def test_presence_of_one_member_alone_reaches_only_the_others(board: Board) -> None:
    board.outbox.presence(presence(1, 1, cursor=10), str(board.a.sid))
    board.outbox.presence(presence(1, 2, cursor=11), str(board.a.sid))
    got = await board.settle()
    assert got[board.a.sid] == []
    assert presence_in(got[board.b.sid]) == [{(1, 2, '{"cursor": 11}')}]


async def test_a_member_who_left_the_board_gets_nothing_more(board: Board) -> None:
    await board.sio.leave_room(str(board.c.sid), BOARD)
    board.outbox.update("notes", note("n1"), None)
    got = await board.settle()
    assert got[board.c.sid] == []
    assert notes_in(got[board.a.sid]) == [{"n1"}]


async def test_the_outbox_keeps_delivering_after_a_broken_message(
    board: Board, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="server.realtime.outbox")
    board.outbox.update("notes", b"not an update", str(board.a.sid))
    board.outbox.update("notes", b"nor this", str(board.b.sid))
    await eventually(lambda: "failed" in caplog.text, what="the broken merge logged")
    board.outbox.update("notes", note("after"), None)
    got = await board.settle()
    for peer in board.peers:
        assert notes_in(got[str(peer.sid)]) == [{"after"}]


async def test_what_was_queued_with_a_broken_message_still_arrives(board: Board) -> None:
    """One broken message must cost itself only, not the messages gathered with it."""
    a, b = str(board.a.sid), str(board.b.sid)
    layout = note("l1")
    board.outbox.update("notes", b"not an update", a)
    board.outbox.update("notes", b"nor this", b)
    board.outbox.to_member(b, "welcome", ({"hello": "b"},))
    board.outbox.update("layout", layout, a)
    got = await board.settle()
    assert got[b] == [["welcome", {"hello": "b"}], ["y", "layout", create_update_message(layout)]]
    assert got[str(board.c.sid)] == [["y", "layout", create_update_message(layout)]]
