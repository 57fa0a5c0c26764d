"""The count of comments per note the judge reads (server/boards/comment_index.py): kept in step
with the document whatever changes it, and cheap to read on a big board."""

from __future__ import annotations

import gc
import time
import weakref
from typing import Any

from pycrdt import Doc, Map

from server.boards.comment_index import CommentIndex


def comment(note_id: str) -> Map[Any]:
    return Map({"noteId": note_id, "authorId": "a", "text": "x"})


def test_counts_follow_local_and_remote_changes_and_replacements() -> None:
    doc: Doc[Any] = Doc()
    comments = doc.get("comments", type=Map)
    comments["c1"] = comment("n1")
    index = CommentIndex.of(doc)
    assert (index.count("n1"), index.count("n2")) == (1, 0)
    other: Doc[Any] = Doc()
    other.apply_update(doc.get_update())
    with other.transaction():
        other.get("comments", type=Map)["c2"] = comment("n1")
        other.get("comments", type=Map)["c3"] = comment("n2")
    doc.apply_update(other.get_update(doc.get_state()))
    assert (index.count("n1"), index.count("n2")) == (2, 1)
    comments["c1"] = comment("n2")  # replaced (a restore does this): moved to n2
    del comments["c2"]
    assert (index.count("n1"), index.count("n2")) == (0, 2)


def test_reading_a_count_on_a_board_of_ten_thousand_comments_is_cheap() -> None:
    doc: Doc[Any] = Doc()
    with doc.transaction():
        comments = doc.get("comments", type=Map)
        for i in range(10_000):
            comments[f"c{i}"] = comment(f"n{i % 500}")
    index = CommentIndex.of(doc)
    start = time.perf_counter()
    counts = [index.count(f"n{i}") for i in range(500)]
    assert counts == [20] * 500
    assert time.perf_counter() - start < 0.05


def test_a_document_kept_with_its_index_is_freed_with_it() -> None:
    class Kept:  # as a DocState keeps both
        pass

    kept = Kept()
    kept.doc = Doc()  # type: ignore[attr-defined]
    kept.index = CommentIndex.of(kept.doc)  # type: ignore[attr-defined]
    gone = weakref.ref(kept.doc)  # type: ignore[attr-defined]
    del kept
    gc.collect()
    assert gone() is None
