"""How a YesWiki 4.4 shows a stored page, as far as Ardoise's pages go: the tests' reading of it.

Read in YesWiki's code (docs/exports.md, "How YesWiki treats a published entry"), in order:
- `{{toc` anywhere in the stored text makes a pre-formatter rewrite every `==` of the page,
  inside raw blocks too (tools/toc/formatters/__wakka.php);
- the formatter (formatters/wakka.php) runs one alternation of tokens over the text: a raw
  block `""…""` is output as it is (with `allow_raw_html`, the installer's default), a newline
  outside one becomes `<br />`, and every other token is a wiki construct;
- post-formatters then work on the HTML: `[|…|]` becomes a table, `[50%]` a progress bar
  (tools/tableau, tools/progressBar), and a class `wow`, `markdown`, `mermaid` or `c4-izmir`
  on an element loads a script that rewrites it (tools/templates/formatters/wakka__.php);
- a long-text field's HTML has every `""` turned into `''` (tools/bazar/fields/TextareaField.php).

`show` follows these steps for a stored page and refuses any page where one of them would act
on something: what is left is HTML that only a browser reads. `read` reads that HTML like a
browser's `textContent`, element by element, and refuses any element or attribute the exporter
does not write.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from server.boards.export.labels import comment_text, reactions_text, votes_text
from server.boards.export.model import ExportModel, ExportNote, GridBlock

_CAMEL = r"[A-Z][a-z]+[A-Z0-9][A-Za-z0-9]*"
_INTERWIKI = r"[A-Z][A-Za-z0-9]+:[A-Za-z0-9_-]*"


def _token_pattern(flags: int) -> re.Pattern[str]:
    """The alternation of formatters/wakka.php, in its order."""
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


# Both readings of `\b` (PCRE with and without Unicode word characters).
PATTERNS = (_token_pattern(0), _token_pattern(re.ASCII))


def tokens(markup: str) -> list[str]:
    """Every construct the formatter finds, in order; a construct that only the other reading
    of a word boundary finds is added at the end."""
    unicode, ascii_ = ([m.group(0) for m in p.finditer(markup)] for p in PATTERNS)
    extra = Counter(ascii_) - Counter(unicode)
    return unicode + list(extra.elements())


class Interpreted(AssertionError):
    """YesWiki would read part of the page as something other than the HTML it holds."""


_POST_FORMATTERS = (
    re.compile(r"\[\|.*?\|\]", re.DOTALL),
    re.compile(r"\[[0-9]+%\]"),
    re.compile(
        r"(?=<[^>]+(?=[\s+\"'](wow|markdown|mermaid|c4-izmir)[\s+\"']).+)([^>]+>)", re.DOTALL
    ),
)


def show(stored: str) -> str:
    """The HTML a YesWiki makes of a stored page of Ardoise's, or Interpreted."""
    if "{{toc" in stored.lower():
        raise Interpreted("{{toc")
    html = []
    found = tokens(stored)
    for token in found:
        if token == "\n":
            html.append("<br />\n")
        elif token.startswith('""') and token.endswith('""') and len(token) >= 4:
            html.append(token[2:-2])
        else:
            raise Interpreted(token)
    # Raw blocks and newlines are the whole page: no text lies between them.
    if "".join(found) != stored:
        raise Interpreted("text outside the raw blocks")
    out = "".join(html)
    for pattern in _POST_FORMATTERS:
        found = pattern.search(out)
        if found:
            raise Interpreted(found.group(0))
    if '""' in out:
        raise Interpreted('""')
    return out


# What the exporter writes, and nothing else: element -> its allowed attributes.
_ELEMENTS: dict[str, frozenset[str]] = {
    "div": frozenset({"class", "style"}),
    "span": frozenset(),
    "p": frozenset({"class"}),
    "em": frozenset(),
    "strong": frozenset(),
    "h1": frozenset({"class"}),
    "h3": frozenset({"class"}),
    "table": frozenset({"class"}),
    "thead": frozenset(),
    "tbody": frozenset(),
    "tr": frozenset(),
    "th": frozenset({"scope", "style"}),
    "td": frozenset({"style"}),
    "br": frozenset(),
    # A note's web address (docs/board-schema.md, "Links in a note"); checked in _Reader.
    "a": frozenset({"href", "target", "rel"}),
}
_LINK = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]+", re.IGNORECASE)
_CLASS = re.compile(
    r"(ardoise-[a-z0-9-]+|well|well-sm|row|col-sm-(1|2|3|4|6|12)|table-responsive"
    r"|table|table-condensed|table-striped|table-bordered|prevent-auto-init)"
)
_STYLE = re.compile(
    r"(white-space:pre-wrap;|background-color:#[0-9A-F]{6};|vertical-align:top;(width:\d+%;)?)"
)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def text(self) -> str:
        """As a browser's `textContent`."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find(self, css_class: str) -> list[Element]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if css_class in child.classes:
                    found.append(child)
                found.extend(child.find(css_class))
        return found

    def shape(self) -> str:
        """The elements without their texts (a `span`, and a note's link, is part of a text)."""
        inner = "".join(c.shape() for c in self.children if isinstance(c, Element))
        if self.tag in ("span", "a"):
            return inner
        attrs = " ".join(f"{k}={v}" for k, v in sorted(self.attrs.items()))
        return f"<{self.tag} {attrs}>{inner}</{self.tag}>"


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag not in _ELEMENTS or not set(values) <= _ELEMENTS[tag]:
            raise Interpreted(f"<{tag} {values}>")
        if tag == "a" and (
            not _LINK.fullmatch(values.get("href", ""))
            or values.get("target") != "_blank"
            or values.get("rel") != "noreferrer noopener"
        ):
            raise Interpreted(f"link {values!r}")
        if not all(_CLASS.fullmatch(c) for c in values.get("class", "").split()):
            raise Interpreted(f"class {values['class']!r}")
        if "style" in values and not _STYLE.fullmatch(values["style"]):
            raise Interpreted(f"style {values['style']!r}")
        element = Element(tag, values)
        self.open[-1].children.append(element)
        if tag != "br":
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":
            return
        if self.open[-1].tag != tag:
            raise Interpreted(f"</{tag}> closes <{self.open[-1].tag}>")
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        raise Interpreted(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        raise Interpreted(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        raise Interpreted(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        raise Interpreted(f"<![{data}]>")


def read(html: str) -> Element:
    """The page's elements, refusing any the exporter does not write."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    if reader.open != [reader.root]:
        raise Interpreted(f"<{reader.open[-1].tag}> left open")
    return reader.root


@dataclass(frozen=True)
class ShownNote:
    text: str
    meta: str
    place: str  # "row|column" in a grid, the column's title elsewhere
    comments: tuple[str, ...] = ()


def notes(page: Element) -> list[ShownNote]:
    """Every card in page order, with where it is shown."""
    out: list[ShownNote] = []

    def walk(element: Element, place: str, heads: list[str]) -> None:
        for child in element.children:
            if not isinstance(child, Element):
                continue
            if child.tag == "table":
                heads = [th.text() for th in _all(child, "th") if th.attrs.get("scope") == "col"]
            if child.tag == "tr":
                cells = [c for c in child.children if isinstance(c, Element)]
                row = cells[0].text() if cells and cells[0].tag == "th" else ""
                for i, cell in enumerate(cells[1:]):
                    column = heads[i] if i < len(heads) else ""
                    walk(cell, f"{row}|{column}", heads)
                continue
            if "ardoise-zone" in child.classes:
                titles = child.find("ardoise-colonne")
                walk(child, titles[0].text() if titles else "", heads)
                continue
            if "ardoise-carte" in child.classes:
                text = child.find("ardoise-note")
                meta = child.find("ardoise-meta")
                out.append(
                    ShownNote(
                        text[0].text() if text else "",
                        meta[0].text() if meta else "",
                        place,
                        tuple(c.text() for c in child.find("ardoise-commentaire")),
                    )
                )
                continue
            walk(child, place, heads)

    walk(page, "", [])
    return out


def _all(element: Element, tag: str) -> list[Element]:
    found = []
    for child in element.children:
        if isinstance(child, Element):
            if child.tag == tag:
                found.append(child)
            found.extend(_all(child, tag))
    return found


def expected_notes(model: ExportModel) -> list[ShownNote]:
    """Every note as the page should show it, in the page's order."""
    out = []

    def shown(note: ExportNote, place: str) -> ShownNote:
        # A note nobody voted for shows no tally (not "0 vote").
        meta = [votes_text(model.locale, note.votes)] if note.votes else []
        meta += [note.author] if note.author else []
        meta += [reactions_text(note.reactions)] if note.reactions else []
        comments = tuple(comment_text(model.locale, c.text, c.author) for c in note.comments)
        return ShownNote(note.typed_text, " · ".join(meta), place, comments)

    for block in model.blocks:
        if isinstance(block, GridBlock) and (any(block.rows) or len(block.rows) != 1):
            for row, cells in zip(block.rows, block.cells, strict=True):
                for col, cell in zip(block.cols, cells, strict=True):
                    out.extend(shown(n, f"{row}|{col if any(block.cols) else ''}") for n in cell)
        elif isinstance(block, GridBlock):
            for col, cell in zip(block.cols, block.cells[0], strict=True):
                out.extend(shown(n, col) for n in cell)
        else:
            for zone in block.zones:
                out.extend(shown(n, zone.title) for n in zone.notes)
    count = min(3, len(model.unzoned))
    for i in range(count):
        out.extend(shown(n, "") for n in model.unzoned[i::count])
    return out
