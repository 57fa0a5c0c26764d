"""Whether an update may join a document, and joining it: the checks that keep nothing pending."""

from __future__ import annotations

import logging

from server.boards.doc_state import DocState
from server.boards.update_meta import UpdateMeta, decode_state_vector, parse_update
from server.errors import ArdoiseError
from server.protocol import ErrorCode

log = logging.getLogger(__name__)


def _is_panic(exc: BaseException) -> bool:
    # pyo3's PanicException derives from BaseException; it cannot be imported by name.
    return type(exc).__name__ == "PanicException"


def _ranges_cover(outer: list[tuple[int, int]], clock: int, length: int) -> bool:
    end = clock + length
    return any(start <= clock and end <= start + size for start, size in outer)


def _merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, length in sorted(ranges):
        if merged and start <= merged[-1][0] + merged[-1][1]:
            last_start, last_length = merged[-1]
            merged[-1] = (last_start, max(last_length, start + length - last_start))
        else:
            merged.append((start, length))
    return merged


def overlaps(state: DocState, meta: UpdateMeta) -> bool:
    """Part of the update is already in the document (a reconnecting client resending)."""
    return any(ranges[0][0] < state.state.get(client, 0) for client, ranges in meta.structs.items())


def adds_nothing(state: DocState, meta: UpdateMeta) -> bool:
    """Everything in the update is already in the document: nothing to apply, store or relay."""
    for client, ranges in meta.structs.items():
        known = state.state.get(client, 0)
        if any(end > known for _, end in ranges):
            return False
    if not meta.deletes:
        return True
    # Rare (a reconnecting reader, or a resent delete): compare with the doc's delete set.
    doc_deletes = parse_update(state.doc.get_update(state.doc.get_state())).deletes
    for client, ranges in meta.deletes.items():
        known_ranges = _merge_ranges(doc_deletes.get(client, []))
        if not all(_ranges_cover(known_ranges, clock, length) for clock, length in ranges):
            return False
    return True


def integrate(state: DocState, update: bytes, meta: UpdateMeta, trust_meta: bool) -> None:
    """Apply a checked update and advance the accepted clocks; refuse, unchanged, on failure."""
    try:
        state.doc.apply_update(update)
    except (ValueError, RuntimeError) as exc:
        raise ArdoiseError(ErrorCode.MALFORMED, f"update rejected: {exc}") from exc
    except BaseException as exc:
        if not _is_panic(exc):
            raise
        # The Rust core panicked; the doc stays intact (docs/findings.md, pycrdt: Applying updates).
        log.warning("pycrdt panicked on an update")
        raise ArdoiseError(ErrorCode.MALFORMED, "update rejected by the CRDT core") from None
    if not trust_meta:
        # Overlapping content can be split differently by yrs (inside a surrogate pair):
        # read back what was really integrated rather than what the update claimed.
        state.state = decode_state_vector(state.doc.get_state())
        return
    for client, ranges in meta.structs.items():
        end = ranges[-1][1]
        if end > state.state.get(client, 0):
            state.state[client] = end
