"""The few words exports print around the user's text, in the board's language."""

from __future__ import annotations

from datetime import datetime

_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "subtitle": "Export du tableau « {title} » du {date} — {totals}",
        "entry_subtitle": "Export du {date} — {totals}",
        "unzoned": "Autres notes",
        "no_notes": "Aucune note.",
        "zone": "zone",
        "row": "ligne",
        "col": "colonne",
        "text": "texte",
        "color": "couleur",
        "author": "auteur",
        "votes": "votes",
        "created": "créée le (UTC)",
        "themes": "Thèmes",
        "group": "thème",
    },
    "en": {
        "subtitle": "Export of the board “{title}” on {date} — {totals}",
        "entry_subtitle": "Exported on {date} — {totals}",
        "unzoned": "Other notes",
        "no_notes": "No notes.",
        "zone": "zone",
        "row": "row",
        "col": "column",
        "text": "text",
        "color": "colour",
        "author": "author",
        "votes": "votes",
        "created": "created at (UTC)",
        "themes": "Themes",
        "group": "theme",
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


def group_heading(locale: str, title: str, votes: int | None) -> str:
    """A theme's sub-heading: its title (already escaped for the format), with its votes."""
    return title if votes is None else f"{title} — {votes_text(locale, votes)}"


def totals_text(locale: str, notes: int, votes: int | None) -> str:
    text = count(locale, notes, "note", "notes")
    if votes is not None:
        text += ", " + votes_text(locale, votes)
    return text


def header_keys() -> tuple[str, ...]:
    """The CSV columns, in order."""
    return ("zone", "row", "col", "text", "color", "author", "votes", "created", "group")


def header_names(locale: str) -> list[str]:
    return [label(locale, key) for key in header_keys()]


def all_header_names() -> dict[str, str]:
    """Every language's column name -> column key (a CSV import accepts either language)."""
    names: dict[str, str] = {}
    for words in _LABELS.values():
        for key in header_keys():
            names[words[key].lower()] = key
    return names
