"""By hand: does the test wiki store what a real YesWiki stores? (docs/exports.md, "The test wiki")

    .venv/bin/python -m tests.support.compare_bazar WIKI_URL API_KEY FORM_ID [RANDOM_TEXTS] [SEED]

Posts each input as the long text of a new entry of the form (titled "Comparaison <n> …", with the
input's first line in the title too), reads back what the wiki stored (`?api/entries/json/<name>`),
and compares both fields with what `tests/support/bazar.py` stores of them. The inputs: every
hostile piece of the tests alone, random mixes of them, pages of hostile boards as Ardoise renders
them (file and entry), a few HTML samples, and the samples of `KNOWN`. Prints each difference,
then the counts; exits 1 on a difference that is not a known one. It creates one entry per input
on that wiki: use a wiki made for trying.
"""

from __future__ import annotations

import random
import sys

import httpx

from server.boards.export import yeswiki
from server.boards.export.model import build_model
from server.boards.export.yeswiki_publish import api_url, board_mark, html_text
from tests.support.bazar import stored_texts
from tests.unit.boards.export.boards import EXPORTED_AT, HORIZONS, BoardBuilder
from tests.unit.boards.export.test_escaping import HOSTILE_PIECES

_HTML = [
    '<div class="a b" style="white-space:pre-wrap;vertical-align:top;width:18%;">x</div>',
    "<table>\n<tr>\n<td>a</td>\n</tr>\n</table>",
    '<a href="http://x" target="_blank">l</a><img src="x"><span contenteditable="true">c</span>',
    '<font size="+9" face="x" color="red">f</font><ul><li>a</li>x<li>b</li></ul>',
    '<h1 id="x">t</h1><p style="display:grid;overflow:auto;word-break:break-all">p</p>',
]
# What HTMLPurifier 4.12 to 4.17 (YesWiki 4.4.4's) keeps and Debian 12's 4.11 drops: a table
# holding only a header, and two CSS properties. Ardoise's pages use neither.
KNOWN = [
    "<table><thead><tr><th>a</th></tr></thead></table>",
    '<p style="background-size:cover;text-decoration-line:underline">x</p>',
]


def _boards(rng: random.Random, count: int) -> list[str]:
    """Pages of hostile boards: a grid, and columns with notes outside every zone."""
    pages = []
    for n in range(count):
        pieces = [rng.choice(HOSTILE_PIECES) + rng.choice(HOSTILE_PIECES) for _ in range(24)]
        board = BoardBuilder(f"Tableau {pieces[0]}")
        grid = n % 2 == 0
        for c in range(3):
            extra = {"row": f"Axe {pieces[1]}", "col": HORIZONS[c]} if grid else {}
            board.zone(f"z{c}", pieces[2 + c], [300 * c, 0, 300, 600], **extra)
        for i in range(18):
            board.note(f"n{i}", pieces[5 + i], 300 * (i % 4) + 10, 60 + i, author=pieces[23][:60])
        model = build_model(board.snapshot(), {"n0": 2}, EXPORTED_AT)
        pages.append(yeswiki.render(model, standalone=n % 4 < 2, mark=board_mark(f"b{n}")))
    return pages


def inputs(random_texts: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    mixes = [
        "".join(rng.choice(HOSTILE_PIECES + _HTML) for _ in range(rng.randrange(1, 9)))
        for _ in range(random_texts)
    ]
    return [*HOSTILE_PIECES, *_HTML, *mixes, *_boards(rng, 8), *KNOWN]


def main(wiki: str, key: str, form: str, random_texts: int = 100, seed: int = 1) -> int:
    texts = inputs(random_texts, seed)
    titles = [
        html_text(f"Comparaison {i} {text.splitlines()[0] if text.strip() else ''}"[:200])
        for i, text in enumerate(texts)
    ]
    ours = stored_texts(
        [pair for t, ti in zip(texts, titles, strict=True) for pair in (("wiki", t), ("text", ti))]
    )
    differences = known = 0
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(timeout=30) as client:
        for i, (text, title) in enumerate(zip(texts, titles, strict=True)):
            fields = {"bf_titre": title, "bf_description": text, "id_typeannonce": form}
            posted = client.post(api_url(wiki, f"entries/{form}"), data=fields, headers=headers)
            posted.raise_for_status()
            name = posted.json()["success"].rsplit("?", 1)[-1]
            entry = next(iter(client.get(api_url(wiki, f"entries/json/{name}")).json().values()))
            real = [entry["bf_description"], entry["bf_titre"]]
            if real != ours[2 * i : 2 * i + 2]:
                if text in KNOWN:
                    known += 1
                else:
                    differences += 1
                print(f"{'KNOWN' if text in KNOWN else 'DIFFERENT'} {name}: sent {[text, title]!r}")
                print(f"  the wiki stored {real!r}")
                print(f"  the test wiki   {ours[2 * i : 2 * i + 2]!r}")
    print(
        f"{len(texts)} inputs (and as many titles): {differences} stored differently, "
        f"and {known} of the {len(KNOWN)} known differences of Debian's HTMLPurifier"
    )
    return 1 if differences else 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if len(arguments) < 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(*arguments[:3], *(int(a) for a in arguments[3:5])))
