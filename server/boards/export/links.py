"""Web addresses in a note's text, found as the web client finds them (docs/board-schema.md,
"Links in a note"): both run tests/support/link_cases.json."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

# `http://` or `https://` not glued to a letter or digit before it, then anything but blanks,
# quotes, angle brackets and backticks. `[^\W_]` is a letter or a digit.
_CANDIDATE = re.compile(r"(?<![^\W_])https?://[^\s<>\"`]+", re.IGNORECASE)
_TRAILING = frozenset(".,;:!?'»…")
# The address's host: ASCII labels of letters, digits and inner hyphens, an optional port, then
# the end or a path, query or fragment. No user name (`user@host` is a classic disguise), no
# other host: a wiki's purifier drops such an href, and a reader could not tell where it goes.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_HOST = re.compile(
    rf"^https?://{_LABEL}(?:\.{_LABEL})*(?::[0-9]{{1,5}})?(?:[/?#]|$)", re.IGNORECASE
)
# Kept as typed in an href; every other character is percent-encoded (its UTF-8 bytes).
_SAFE = "-._~:/?#@!$&'()*+,;=%"

REL = "noopener noreferrer nofollow"

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_HEX = frozenset("0123456789abcdefABCDEF")


def _href(address: str) -> str:
    """The address percent-encoded in the one form a URI normaliser (the wiki's HTMLPurifier)
    leaves as it is: other characters encoded, a `#` after the fragment's own encoded, a `%` that
    starts no escape encoded, escapes of unreserved characters decoded, hex digits upper case."""
    encoded = quote(address, safe=_SAFE)
    out: list[str] = []
    seen_hash = False
    i = 0
    while i < len(encoded):
        ch = encoded[i]
        if ch == "%":
            digits = encoded[i + 1 : i + 3]
            if len(digits) == 2 and set(digits) <= _HEX:
                decoded = chr(int(digits, 16))
                out.append(decoded if decoded in _UNRESERVED else "%" + digits.upper())
                i += 3
                continue
            out.append("%25")
        elif ch == "#":
            out.append("%23" if seen_hash else "#")
            seen_hash = True
        else:
            out.append(ch)
        i += 1
    return "".join(out)


@dataclass(frozen=True, slots=True)
class TextPart:
    text: str
    # Set for an address: what the link points to.
    href: str | None = None


def _trim_end(address: str) -> str:
    while address:
        last = address[-1]
        unbalanced = last in ")]" and _unbalanced(address, last)
        if last not in _TRAILING and not unbalanced:
            break
        address = address[:-1]
    return address


def _unbalanced(address: str, closing: str) -> bool:
    """A closing bracket at the end with fewer opening ones inside: the sentence's."""
    opening = "(" if closing == ")" else "["
    return address.count(opening) < address.count(closing)


def find_links(text: str) -> list[TextPart]:
    """The text cut into plain parts and addresses, in order; joined, the parts are the text."""
    parts: list[TextPart] = []
    done = 0
    for match in _CANDIDATE.finditer(text):
        address = _trim_end(match.group())
        if not _HOST.match(address):
            continue
        if match.start() > done:
            parts.append(TextPart(text[done : match.start()]))
        parts.append(TextPart(address, _href(address)))
        done = match.start() + len(address)
    if done < len(text) or not parts:
        parts.append(TextPart(text[done:]))
    return parts
