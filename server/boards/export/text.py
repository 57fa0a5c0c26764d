"""Cleaning user text before any export: what no format should ever carry."""

from __future__ import annotations

import re
import unicodedata

# Bidirectional overrides and isolates can reorder the text that follows them on a page
# ("Trojan Source"); a note never needs them.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SPACES = re.compile(r"[ \t]+")
# The byte-order mark, and the two noncharacters an HTML purifier drops (a wiki would not keep
# them): never meant as text.
_NOT_TEXT = frozenset("\ufeff\ufffe\uffff")


def _is_dropped(ch: str) -> bool:
    category = unicodedata.category(ch)
    # Cc: control characters; Cs: lone surrogates, which no UTF-8 file can hold.
    return category in ("Cc", "Cs") or ch in _BIDI_CONTROLS or ch in _NOT_TEXT


def clean_text(value: str) -> str:
    """A note's text as every export shows it.

    Newlines are kept (a note may have several lines) and normalised to `\\n`; tabs become
    spaces; other control characters, lone surrogates, bidi overrides, the byte-order mark and
    the noncharacters U+FFFE and U+FFFF are dropped; each line loses its leading and trailing
    blanks (no export format gives them a meaning worth keeping, and several give them a
    dangerous one), and blank lines at both ends go.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\u2028", "\n").replace("\u2029", "\n").replace("\t", " ")
    value = "".join(ch for ch in value if ch == "\n" or not _is_dropped(ch))
    lines = [_SPACES.sub(" ", line).strip() for line in value.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def clean_keeping_layout(value: str) -> str:
    """A note's text with its layout as typed: every line break, blank line, space and tab.

    For the formats that can show layout without giving it a meaning (YesWiki's raw HTML):
    newlines are normalised as in `clean_text`, and what it drops is dropped, tabs excepted.
    Blank lines at both ends go; the rest stays.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\u2028", "\n").replace("\u2029", "\n")
    kept = "".join(ch for ch in value if ch in "\n\t" or not _is_dropped(ch))
    lines = kept.split("\n")
    while lines and not lines[0].strip(" \t"):
        lines.pop(0)
    while lines and not lines[-1].strip(" \t"):
        lines.pop()
    return "\n".join(lines)


def clean_line(value: str) -> str:
    """A title, a label or a name: one line, blanks collapsed."""
    return " ".join(clean_text(value).split())
