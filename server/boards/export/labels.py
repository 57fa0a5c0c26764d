"""The few words exports print around the user's text, in the board's language."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from server.boards.palette import FRENCH_NAMES

# The interface's words (web/src/i18n): "post-it" (invariable) in French, "sticky note" in
# English; French apostrophes are typographic (U+2019), as everywhere in the interface.
_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "subtitle": "Export du tableau « {title} » du {date} — {totals}",
        "entry_subtitle": "Export du {date} — {totals}",
        "unzoned": "Autres post-it",
        "continued": "{title} (suite)",
        "no_notes": "Aucun post-it.",
        "zone": "zone",
        "row": "ligne",
        "col": "colonne",
        "text": "texte",
        "color": "couleur",
        "author": "auteur",
        "votes": "votes",
        "created": "créé le (UTC)",
        "legend": "légende",
        "themes": "Thèmes",
        "group": "thème",
        "reactions": "réactions",
        "comments": "commentaires",
        "image": "Image",
    },
    "en": {
        "subtitle": "Export of the board “{title}” on {date} — {totals}",
        "entry_subtitle": "Exported on {date} — {totals}",
        "unzoned": "Other sticky notes",
        "continued": "{title} (continued)",
        "no_notes": "No sticky notes.",
        "zone": "zone",
        "row": "row",
        "col": "column",
        "text": "text",
        "color": "colour",
        "author": "author",
        "votes": "votes",
        "created": "created at (UTC)",
        "legend": "legend",
        "themes": "Themes",
        "group": "theme",
        "reactions": "reactions",
        "comments": "comments",
        "image": "Image",
    },
}


def label(locale: str, key: str) -> str:
    return _LABELS.get(locale, _LABELS["fr"])[key]


def format_date(moment: datetime, locale: str) -> str:
    """22/11/2026 in French, 2026-11-22 in English (unambiguous for every English reader)."""
    return moment.strftime("%d/%m/%Y" if locale == "fr" else "%Y-%m-%d")


def count(locale: str, n: int, singular: str, plural: str) -> str:
    """`0 vote` and `1 vote` in French, `0 votes` and `1 vote` in English."""
    one = n in (0, 1) if locale == "fr" else n == 1
    return f"{n} {singular if one else plural}"


def votes_text(locale: str, n: int) -> str:
    return count(locale, n, "vote", "votes")


def note_votes_text(locale: str, votes: int | None) -> str | None:
    """What a note shows of its votes: nothing while hidden, nor on a note nobody voted for
    ("0 vote" was printed on every idea of a board where nobody had voted)."""
    return votes_text(locale, votes) if votes else None


def group_heading(locale: str, title: str, votes: int | None) -> str:
    """A theme's sub-heading: its title (already escaped for the format), with its votes."""
    return title if votes is None else f"{title} — {votes_text(locale, votes)}"


def totals_text(locale: str, notes: int, votes: int | None) -> str:
    if _known(locale) == "fr":
        text = count(locale, notes, "post-it", "post-it")
    else:
        text = count(locale, notes, "sticky note", "sticky notes")
    if votes is not None:
        text += ", " + (votes_text(locale, votes) if votes else _NO_VOTES[_known(locale)])
    return text


_NO_VOTES = {"fr": "aucun vote", "en": "no votes"}

# Colour names in the board's language (a CSV holds one language; the import reads both).
_COLOUR_NAMES = {"fr": {english: french for french, english in FRENCH_NAMES.items()}}


def colour_name(locale: str, name: str) -> str:
    """A palette name in the board's language; anything else as it is."""
    return _COLOUR_NAMES.get(locale, {}).get(name, name)


def _known(locale: str) -> str:
    return locale if locale in _LABELS else "fr"


def header_keys() -> tuple[str, ...]:
    """The CSV columns, in order."""
    return (
        "zone",
        "row",
        "col",
        "text",
        "color",
        "author",
        "votes",
        "reactions",
        "comments",
        "created",
        "legend",
        "group",
    )


def header_names(locale: str) -> list[str]:
    return [label(locale, key) for key in header_keys()]


def all_header_names() -> dict[str, str]:
    """Every language's column name -> column key (a CSV import accepts either language)."""
    names: dict[str, str] = {}
    for words in _LABELS.values():
        for key in header_keys():
            names[words[key].lower()] = key
    return names


# The palette's colours as a reader of the board's language names them (the legend's entries).
_COLOR_WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "yellow": "jaune",
        "orange": "orange",
        "pink": "rose",
        "red": "rouge",
        "green": "vert",
        "blue": "bleu",
        "purple": "violet",
        "grey": "gris",
    },
    "en": {
        "yellow": "yellow",
        "orange": "orange",
        "pink": "pink",
        "red": "red",
        "green": "green",
        "blue": "blue",
        "purple": "purple",
        "grey": "grey",
    },
}
_LEGEND_TITLE = {"fr": "Légende", "en": "Legend"}


def color_word(locale: str, name: str) -> str:
    """`jaune` for `yellow` on a French board; a name outside the palette as it is."""
    return _COLOR_WORDS.get(locale, _COLOR_WORDS["fr"]).get(name, name)


def legend_title(locale: str) -> str:
    return _LEGEND_TITLE.get(locale, _LEGEND_TITLE["fr"])


def legend_text(locale: str, entries: Iterable[tuple[str, str]]) -> str:
    """`Légende : jaune : idée · rose : frein` from (colour word, label) pairs already cleaned."""
    items = " · ".join(
        f"{word} : {text}" if locale == "fr" else f"{word}: {text}" for word, text in entries
    )
    return (
        f"{legend_title(locale)} : {items}"
        if locale == "fr"
        else f"{legend_title(locale)}: {items}"
    )


def reactions_text(reactions: Iterable[tuple[str, int]]) -> str:
    """`👍 3 · 💡 1`: each emoji with its count."""
    return " · ".join(f"{emoji} {n}" for emoji, n in reactions)


def comment_text(locale: str, text: str, author: str | None) -> str:
    """`Camille : texte` (French spacing), `Camille: text`; the text alone without an author.
    Both already cleaned and escaped for the format."""
    if not author:
        return text
    return f"{author} : {text}" if _known(locale) == "fr" else f"{author}: {text}"


# The reactions in words, for the formats whose font has no emoji (PDF, PNG: DejaVu Sans draws
# none of 👍 😂 😮 💡): the same order as the emoji (server/protocol.py, Reaction).
_REACTION_WORDS = {
    "fr": {
        "👍": "pour",
        "❤️": "j\u2019adore",
        "😂": "drôle",
        "😮": "surprenant",
        "💡": "idée",
        "❓": "question",
    },
    "en": {
        "👍": "agree",
        "❤️": "love",
        "😂": "funny",
        "😮": "surprising",
        "💡": "idea",
        "❓": "question",
    },
}


def reaction_words(locale: str, reactions: Iterable[tuple[str, int]]) -> str:
    """`pour 3 · idée 1`: the reactions of `reactions_text` in words."""
    words = _REACTION_WORDS[_known(locale)]
    return " · ".join(f"{words.get(emoji, emoji)} {n}" for emoji, n in reactions)


def comments_count(locale: str, n: int) -> str:
    if _known(locale) == "fr":
        return count(locale, n, "commentaire", "commentaires")
    return count(locale, n, "comment", "comments")
