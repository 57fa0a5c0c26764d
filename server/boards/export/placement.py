"""Where imported notes go: inside their zone, on no other note.

The rule is the web client's (web/src/board/placement.ts), written once in docs/board-schema.md,
"Where a new note goes": a change here is a change there. An import has no pointer and no lane:
it takes the free slots in reading order.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

from server.boards.board_snapshot import Rect, Zone, zone_of

NOTE_WIDTH = 180.0
NOTE_HEIGHT = 120.0
# Smallest share of the usual size a note takes to fit a small zone (a roadmap's cell).
_MIN_SCALE = 0.5
GAP = 12.0
# Room kept at the top of a zone for its title, and for its hint when it has one.
_HEADER = 56.0
_HEADER_WITH_HINT = 84.0
# Notes per line in the area below the zones.
_LINE_LENGTH = 6
# Columns (to the right) and lines (below) of spots looked at beside a full zone.
_BESIDE_STEPS = 40
# Side of the squares the taken rectangles are filed by, to find overlaps fast.
_CELL = 256.0


def overlaps(a: Rect, b: Rect) -> bool:
    """Touching edges do not count."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def slot_size(zone: Zone, rect: Rect) -> tuple[float, float]:
    """The usual note size, or smaller (down to half) so the zone holds six notes: three columns
    and two rows, or two columns and three rows, whichever lets them be larger."""
    _, _, zw, zh = rect

    def fit(columns: int, rows: int) -> float:
        return min(
            (zw - (columns + 1) * GAP) / columns / NOTE_WIDTH,
            (zh - _header(zone) - (rows + 1) * GAP) / rows / NOTE_HEIGHT,
        )

    scale = max(_MIN_SCALE, min(1.0, max(fit(3, 2), fit(2, 3))))
    return float(math.floor(NOTE_WIDTH * scale)), float(math.floor(NOTE_HEIGHT * scale))


def _header(zone: Zone) -> float:
    return _HEADER_WITH_HINT if zone.hint else _HEADER


def _encloses(outer: Rect, inner: Rect) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and outer[0] + outer[2] >= inner[0] + inner[2]
        and outer[1] + outer[3] >= inner[1] + inner[3]
    )


class _Taken:
    """The rectangles notes cover, filed by squares of the board."""

    def __init__(self, rects: Sequence[Rect]) -> None:
        self._cells: dict[tuple[int, int], list[Rect]] = {}
        for rect in rects:
            self.add(rect)

    @staticmethod
    def _squares(rect: Rect) -> Iterator[tuple[int, int]]:
        x, y, w, h = rect
        for i in range(math.floor(x / _CELL), math.floor((x + w) / _CELL) + 1):
            for j in range(math.floor(y / _CELL), math.floor((y + h) / _CELL) + 1):
                yield i, j

    def add(self, rect: Rect) -> None:
        for square in self._squares(rect):
            self._cells.setdefault(square, []).append(rect)

    def covers(self, rect: Rect) -> bool:
        return any(
            overlaps(rect, other)
            for square in self._squares(rect)
            for other in self._cells.get(square, ())
        )


class Placer:
    """Hands out rectangles that cover no note, one import at a time (each one then taken)."""

    def __init__(self, zones: tuple[Zone, ...], taken: list[Rect]) -> None:
        self._zones = zones
        self._framed = [(z, z.rect) for z in zones if z.rect is not None]
        self._taken = _Taken(taken)
        # Spots known taken, skipped by the next call: within one import, taken stays taken.
        self._next_slot: dict[str, int] = {}
        self._next_beside: dict[str, int] = {}
        self._next_below = 0
        if self._framed:
            self._below_left = min(r[0] for _, r in self._framed)
            self._below_top = max(r[1] + r[3] for _, r in self._framed) + 4 * GAP
        else:
            self._below_left = self._below_top = 0.0

    def in_zone(self, zone: Zone) -> Rect:
        """The first free slot of the zone; beside it when full; below the zones after that."""
        if zone.rect is None:
            return self.free_area()
        slots = self._slots(zone, zone.rect)
        start = self._next_slot.get(zone.id, 0)
        for k in range(start, len(slots)):
            if not self._taken.covers(slots[k]):
                self._next_slot[zone.id] = k + 1
                return self._take(slots[k])
        self._next_slot[zone.id] = len(slots)
        spots = self._beside(zone, zone.rect)
        start = self._next_beside.get(zone.id, 0)
        for k in range(start, len(spots)):
            if self._is_open(spots[k]):
                self._next_beside[zone.id] = k + 1
                return self._take(spots[k])
        self._next_beside[zone.id] = len(spots)
        return self.free_area()

    def free_area(self) -> Rect:
        """The first free spot in lines of notes below the zones, left-aligned with them."""
        k = self._next_below
        while True:
            line, column = divmod(k, _LINE_LENGTH)
            rect = (
                self._below_left + column * (NOTE_WIDTH + GAP),
                self._below_top + line * (NOTE_HEIGHT + GAP),
                NOTE_WIDTH,
                NOTE_HEIGHT,
            )
            k += 1
            if not self._taken.covers(rect):
                self._next_below = k
                return self._take(rect)

    def _take(self, rect: Rect) -> Rect:
        self._taken.add(rect)
        return rect

    def _is_open(self, rect: Rect) -> bool:
        return not self._taken.covers(rect) and not any(overlaps(rect, r) for _, r in self._framed)

    def _slots(self, zone: Zone, rect: Rect) -> list[Rect]:
        """The zone's slots in reading order, rows below its header, none over an inner zone."""
        zx, zy, zw, zh = rect
        w, h = slot_size(zone, rect)
        header = _header(zone)
        top = zy + header if zh - header >= h + GAP else zy + GAP
        columns = math.floor((zw - GAP) / (w + GAP))
        rows = math.floor((zy + zh - top) / (h + GAP))
        slots = []
        for row in range(rows):
            for column in range(columns):
                slot = (zx + GAP + column * (w + GAP), top + row * (h + GAP), w, h)
                if self._belongs(slot, zone) and not self._covers_inner_zone(slot, zone, rect):
                    slots.append(slot)
        return slots

    def _belongs(self, slot: Rect, zone: Zone) -> bool:
        found = zone_of(slot, self._zones)
        return found is not None and found.id == zone.id

    def _covers_inner_zone(self, slot: Rect, zone: Zone, rect: Rect) -> bool:
        return any(
            other is not zone and overlaps(slot, r) and not _encloses(r, rect)
            for other, r in self._framed
        )

    def _beside(self, zone: Zone, rect: Rect) -> list[Rect]:
        """Spots beside the zone, nearest first: below every zone in line with it, or right of
        every zone level with it (never in a gap between zones)."""
        zx, zy, zw, zh = rect
        w, h = slot_size(zone, rect)
        level = [r for _, r in self._framed if r[1] < zy + zh and zy < r[1] + r[3]]
        in_line = [r for _, r in self._framed if r[0] < zx + zw and zx < r[0] + r[2]]
        right = max(r[0] + r[2] for r in level) + GAP
        below = max(r[1] + r[3] for r in in_line) + GAP
        rows = max(1, math.floor(zh / (h + GAP)))
        columns = max(1, math.floor((zw - GAP) / (w + GAP)))
        spots = [
            (right + column * (w + GAP), zy + row * (h + GAP))
            for column in range(_BESIDE_STEPS)
            for row in range(rows)
        ] + [
            (zx + GAP + column * (w + GAP), below + row * (h + GAP))
            for row in range(_BESIDE_STEPS)
            for column in range(columns)
        ]

        def away(spot: tuple[float, float]) -> float:
            dx = spot[0] + w / 2 - (zx + zw / 2)
            dy = spot[1] + h / 2 - (zy + zh / 2)
            return dx * dx + dy * dy

        # Stable: equally near spots keep the order they were listed in.
        return [(x, y, w, h) for x, y in sorted(spots, key=away)]
