"""Where imported notes go: a free spot in their zone, else a free area below the board."""

from __future__ import annotations

from server.boards.board_snapshot import Rect, Zone, zone_of

NOTE_WIDTH = 160.0
NOTE_HEIGHT = 100.0
_GAP = 16.0
# Room left at the top of a zone for its title.
_ZONE_HEADER = 48.0
# Notes per line in the free area below the board.
_FREE_AREA_COLUMNS = 6
# Offset between notes piled up in a zone that has no free spot left.
_CASCADE = 12.0


def _overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


class Placer:
    """Hands out rectangles that do not cover existing notes, one import at a time."""

    def __init__(self, zones: tuple[Zone, ...], taken: list[Rect]) -> None:
        self._zones = zones
        self._taken = list(taken)
        self._piled: dict[str, int] = {}
        bottoms = [r[1] + r[3] for r in self._taken] + [
            z.rect[1] + z.rect[3] for z in zones if z.rect
        ]
        lefts = [r[0] for r in self._taken] + [z.rect[0] for z in zones if z.rect]
        self._free_top = (max(bottoms) + 4 * _GAP) if bottoms else 0.0
        self._free_left = min(lefts) if lefts else 0.0
        self._free_count = 0

    def _belongs(self, rect: Rect, zone_id: str | None) -> bool:
        zone = zone_of(rect, self._zones)
        return (zone.id if zone else None) == zone_id

    def _take(self, rect: Rect) -> Rect:
        self._taken.append(rect)
        return rect

    def in_zone(self, zone: Zone) -> Rect:
        """A free slot in the zone, scanning lines top to bottom; a pile if it is full."""
        if zone.rect is None:
            return self.free_area()
        zx, zy, zw, zh = zone.rect
        y = zy + _ZONE_HEADER
        while y + NOTE_HEIGHT <= zy + zh - _GAP:
            x = zx + _GAP
            while x + NOTE_WIDTH <= zx + zw - _GAP:
                slot = (x, y, NOTE_WIDTH, NOTE_HEIGHT)
                if self._belongs(slot, zone.id) and not any(
                    _overlaps(slot, r) for r in self._taken
                ):
                    return self._take(slot)
                x += NOTE_WIDTH + _GAP
            y += NOTE_HEIGHT + _GAP
        # Full (or too small for a note): pile up around the centre, which stays in the zone.
        k = self._piled.get(zone.id, 0)
        self._piled[zone.id] = k + 1
        shift = (k % 8) * _CASCADE
        cx, cy = zx + zw / 2 + shift, zy + zh / 2 + shift
        if not (zx <= cx <= zx + zw and zy <= cy <= zy + zh):
            cx, cy = zx + zw / 2, zy + zh / 2
        return self._take((cx - NOTE_WIDTH / 2, cy - NOTE_HEIGHT / 2, NOTE_WIDTH, NOTE_HEIGHT))

    def free_area(self) -> Rect:
        """The next spot in lines of notes below everything on the board, outside every zone."""
        line, column = divmod(self._free_count, _FREE_AREA_COLUMNS)
        self._free_count += 1
        x = self._free_left + column * (NOTE_WIDTH + _GAP)
        y = self._free_top + line * (NOTE_HEIGHT + _GAP)
        return self._take((x, y, NOTE_WIDTH, NOTE_HEIGHT))
