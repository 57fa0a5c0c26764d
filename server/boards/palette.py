"""The note palette (docs/board-schema.md, Palette) as fixed colours: user strings never become
colours."""

from __future__ import annotations

# Soft tints that keep dark text readable on screen and on paper.
PALETTE: dict[str, str] = {
    "yellow": "#FFF59D",
    "orange": "#FFE0B2",
    "pink": "#F8BBD0",
    "red": "#FFCDD2",
    "green": "#C8E6C9",
    "blue": "#B3E5FC",
    "purple": "#E1BEE7",
    "grey": "#E0E0E0",
}
NEUTRAL = "#EEEEEE"
DEFAULT_NOTE_COLOR = "yellow"

# Names a French spreadsheet may carry in its colour column (CSV import).
FRENCH_NAMES: dict[str, str] = {
    "jaune": "yellow",
    "orange": "orange",
    "rose": "pink",
    "rouge": "red",
    "vert": "green",
    "bleu": "blue",
    "violet": "purple",
    "gris": "grey",
}


def hex_color(name: str) -> str:
    """The `#RRGGBB` of a palette name; anything else gets the neutral colour."""
    return PALETTE.get(name, NEUTRAL)


def palette_name(value: str) -> str | None:
    """A palette name from an English or French colour name, or None if it is not one."""
    key = value.strip().lower()
    if key in PALETTE:
        return key
    return FRENCH_NAMES.get(key)


def rgb(name: str) -> tuple[int, int, int]:
    """The colour of a palette name as an RGB triple (for the PDF and the PNG)."""
    value = hex_color(name)
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)
