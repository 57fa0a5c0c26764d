"""A small validator of YesWiki markup: the constructs formatters/wakka.php recognises.

The token expression follows the alternation of YesWiki's formatter (read in its source), so
that a test can list every construct a piece of markup would produce. Both readings of `\\b`
are tried (PCRE with and without Unicode word characters).
"""

from __future__ import annotations

import re
from collections import Counter

_CAMEL = r"[A-Z][a-z]+[A-Z0-9][A-Za-z0-9]*"
_INTERWIKI = r"[A-Z][A-Za-z0-9]+:[A-Za-z0-9_-]*"


def _token_pattern(flags: int) -> re.Pattern[str]:
    return re.compile(
        r"%%.*?%%"
        r'|"".*?""'
        r"|\[\[.*?\]\]"
        r'|\b[a-z0-9]+://[^ \t\n\r\f"|\\^`{}\[\]><]+'
        r"|([*#@£_/])\1"
        r'|[<>"]'
        r"|&(?!(\#[xX][a-fA-F0-9]+|\#[0-9]+|[a-zA-Z0-9]+);)"
        r"|={2,6}"
        r"|-{3,}"
        r"|\n(\t+|([ ])+)(-|[^\W_]+\))?"
        r"|^(\t+|([ ])+)(-|[^\W_]+\))?"
        r"|\{\{.*?\}\}"
        rf"|\b{_INTERWIKI}\b"
        rf"|\b{_CAMEL}\b"
        r"|\n",
        re.MULTILINE | re.DOTALL | flags,
    )


PATTERNS = (_token_pattern(0), _token_pattern(re.ASCII))
# What our exporter itself writes (the table post-formatter's `[|`, `|` and `|]` are counted
# separately, since they act on the HTML the formatter produces).
_ACTION = re.compile(
    r'\{\{(grid|end elem="(section|col|grid)"|col size="(1|2|3|4|6|12)"'
    r'|section bgcolor="#[0-9A-F]{6}" class="well well-sm" nocontainer="1")\}\}'
)
ALLOWED = re.compile(r"\*\*|//|={4}|={6}|\n")


def tokens(markup: str) -> list[str]:
    """Every construct the formatter finds, in order; a construct that only the other reading
    of a word boundary finds is added at the end."""
    unicode, ascii_ = ([m.group(0) for m in p.finditer(markup)] for p in PATTERNS)
    extra = Counter(ascii_) - Counter(unicode)
    return unicode + list(extra.elements())


# YesWiki's table post-formatter (tools/tableau): a table runs from `[|` to the first `|]`, a
# row from a `|` at a line start to the first `|` that ends a line, cells split on every `|`.
_TABLE = re.compile(r"\[\|.*?\|\]", re.DOTALL)
_ROW = re.compile(r"^(?:!([^|]*)!)?\|.*?\|$", re.MULTILINE | re.DOTALL)


def constructs(markup: str) -> list[str]:
    """The page structure: tokens that are not plain newlines, and the tables' rows and cells."""
    out = [t for t in tokens(markup) if t != "\n"]
    for table in _TABLE.findall(markup):
        body = table[2:-2].split("\n", 1)[1] if "\n" in table else ""
        out.append("table:" + ",".join(str(m.group(0).count("|") - 1) for m in _ROW.finditer(body)))
    out.append(f"pipes:{markup.count('|')} brackets:{markup.count('[')},{markup.count(']')}")
    return out


def unexpected(markup: str) -> list[str]:
    """Tokens the exporter never writes itself: any of these came from user text."""
    return [t for t in tokens(markup) if not (ALLOWED.fullmatch(t) or _ACTION.fullmatch(t))]
