"""Boards for export tests, written into real pycrdt documents as docs/board-schema.md says."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pycrdt import Doc, Map, Text

from server.boards.board_snapshot import BoardSnapshot, read_board
from server.boards.images import PNG, EncodedImage
from tests.support.hostile_images import solid_png

EXPORTED_AT = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
# 22 November 2026, 10:00 UTC, in milliseconds.
T0 = 1_795_341_600_000.0

HORIZONS = ["1 mois", "6 mois", "1 an", "2 ans", "Idéal"]
QUESTIONS = ["Où aller ?", "Avec quelles ressources ou leviers ?", "Par quelles étapes ?"]


@dataclass
class BoardBuilder:
    """Zones and notes, then both documents."""

    title: str
    locale: str = "fr"
    anonymous: bool = False
    template: str = "blank"
    zones: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)
    # meta.legend: palette name -> what the colour means; written only when not empty.
    legend: dict[str, Any] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Root `reactions` (`noteId/emoji/participantId` -> true) and root `comments`.
    reactions: list[str] = field(default_factory=list)
    comments: dict[str, dict[str, Any]] = field(default_factory=dict)

    def react(self, note_id: str, emoji: str, *participant_ids: str) -> BoardBuilder:
        self.reactions.extend(f"{note_id}/{emoji}/{p}" for p in participant_ids)
        return self

    def comment(self, comment_id: str, note_id: str, text: str, author: str) -> BoardBuilder:
        self.comments[comment_id] = {
            "noteId": note_id,
            "text": text,
            "author": author,
            "authorId": f"id-{author.lower()}",
            "createdAt": T0 + 60_000 + 1000 * len(self.comments),
        }
        return self

    def zone(self, zone_id: str, title: str, rect: list[float], **extra: Any) -> BoardBuilder:
        self.zones[zone_id] = {
            "title": title,
            "hint": "",
            "rect": rect,
            "color": "",
            "order": len(self.zones) + 1,
            "row": "",
            "col": "",
            **extra,
        }
        return self

    def note(
        self,
        note_id: str,
        text: str,
        x: float,
        y: float,
        color: str = "yellow",
        author: str = "Camille",
        **extra: Any,
    ) -> BoardBuilder:
        self.notes[note_id] = {
            "text": text,
            "rect": [x, y, 160, 100],
            "color": color,
            "authorId": f"id-{author.lower()}",
            "author": author,
            "createdAt": T0 + 1000 * len(self.notes),
            "z": len(self.notes) + 1,
            **extra,
        }
        return self

    def group(self, group_id: str, title: str, *note_ids: str, **extra: Any) -> BoardBuilder:
        """A theme (docs/board-schema.md, root `groups`) holding these notes."""
        self.groups[group_id] = {
            "title": title,
            "createdBy": "id-camille",
            "createdAt": T0 + 1000 * len(self.groups),
            "folded": False,
            **extra,
        }
        for note_id in note_ids:
            self.notes[note_id]["groupId"] = group_id
        return self

    def docs(self) -> tuple[Doc[Any], Doc[Any]]:
        layout: Doc[Any] = Doc()
        with layout.transaction():
            meta = layout.get("meta", type=Map)
            meta["title"] = self.title
            meta["template"] = self.template
            meta["locale"] = self.locale
            meta["locked"] = False
            meta["anonymous"] = self.anonymous
            meta["voting"] = Map(
                {"state": "closed", "secret": True, "revealed": False, "budget": 5}
            )
            if self.legend:
                meta["legend"] = Map(dict(self.legend))
            zones = layout.get("zones", type=Map)
            for zone_id, fields in self.zones.items():
                zones[zone_id] = Map(dict(fields))
        notes_doc: Doc[Any] = Doc()
        with notes_doc.transaction():
            notes = notes_doc.get("notes", type=Map)
            for note_id, fields in self.notes.items():
                notes[note_id] = Map({**fields, "text": Text(fields["text"])})
            groups = notes_doc.get("groups", type=Map)
            for group_id, fields in self.groups.items():
                groups[group_id] = Map(dict(fields))
            reactions = notes_doc.get("reactions", type=Map)
            for key in self.reactions:
                reactions[key] = True
            comments = notes_doc.get("comments", type=Map)
            for comment_id, fields in self.comments.items():
                comments[comment_id] = Map(dict(fields))
        return layout, notes_doc

    def snapshot(self) -> BoardSnapshot:
        return read_board(*self.docs())


def roadmap(
    title: str = "Feuille de route — Axe 2 : Coopérations entre collectivités",
) -> BoardBuilder:
    """The roadmap grid: one row per axis, the horizons as columns (two axes here)."""
    board = BoardBuilder(title, template="feuille-de-route")
    axes = ["Animation du réseau", "Outils & ressources"]
    for r, axis in enumerate(axes):
        for c, horizon in enumerate(HORIZONS):
            board.zone(
                f"z{r}{c}", horizon, [200 + 240 * c, 100 + 400 * r, 240, 400], row=axis, col=horizon
            )
    (
        board.note("n1", "Cartographier les agents volontaires", 220, 150)
        .note("n2", "Lancer un café « Riposte » mensuel", 220, 300, "blue", "Inès")
        .note("n3", "Binômes inter-collectivités (élu·e + agent·e)", 460, 160, "green", "Léa")
        .note("n4", "Rencontre régionale à Besançon", 700, 170, "pink", "")
        .note("n5", "Chaque territoire a son référent·e", 1180, 160, "yellow", "")
        .note("n6", "Boîte à outils partagée sur le YesWiki", 220, 560, "orange", "Noé")
        .note("n7", "Former 20 agents à la facilitation | design de services", 700, 540, "blue")
        .note("n8", "Budget mutualisé > 50 k€ ** à confirmer **", 940, 560, "pink", "Hugo")
        .note("n9", "Une idée posée hors de la grille", 1500, 900, "grey", "Sam")
    )
    return board


ROADMAP_VOTES = {"n1": 5, "n2": 2, "n3": 3, "n4": 1, "n5": 4, "n6": 6, "n7": 2, "n8": 0}


def three_columns(
    title: str = "Atelier Riposte créative — Axe 1 : Transition écologique",
) -> BoardBuilder:
    """The three-column board, one band per axis (so it carries rows: a grid)."""
    board = BoardBuilder(title, template="ou-aller")
    for r, axis in enumerate(["Axe 1", "Axe 2"]):
        for c, question in enumerate(QUESTIONS):
            board.zone(f"q{r}{c}", question, [400 * c, 300 * r, 400, 300], row=axis, col=question)
    (
        board.note("a", "Des cantines 100 % locales et bio", 20, 60, "green")
        .note("b", "Zéro artificialisation nette en 2030", 20, 180, "yellow", "Yanis")
        .note("c", "Fonds vert + appels à projets ADEME", 420, 60, "blue", "Inès")
        .note("d", "Réseau des SecrétairesDeMairie", 420, 180, "orange", "Zoé")
        .note("e", "1. Diagnostic\n2. Concertation citoyenne", 820, 60, "pink", "")
        .note("f", "Covoiturage domicile-travail", 20, 360, "green", "Marc")
    )
    return board


def columns_board() -> BoardBuilder:
    """Zones side by side without rows or columns (a plain column board)."""
    board = BoardBuilder("Rétrospective", locale="en")
    for c, name in enumerate(["Keep", "Drop", "Try"]):
        board.zone(f"k{c}", name, [400 * c, 0, 400, 800], color=["green", "red", "blue"][c])
    (
        board.note("k1", "Daily check-in", 20, 60, "green", "Ana")
        .note("k2", "Long meetings", 420, 60, "red", "Ben")
        .note("k3", "Silent brainstorm\nthen vote", 820, 60, "blue", "Cy")
        .note("k4", "Outside note", 2000, 2000, "purple", "Dee")
    )
    return board


# What a facilitator typed into the legend, hostile parts included: markup of every format,
# a formula, a raw-block end, a bidi override, and a colour that is not the palette's.
HOSTILE_LEGEND = {
    "yellow": "idée",
    "pink": 'frein <script>alert(1)</script> "" **gras** [[lien]] {{toc}}',
    "blue": '=HYPERLINK("http://x")',
    "green": "   ",
    "purple": "\u202eévil",
    "gold": "pas une couleur du tableau",
}


def roadmap_with_legend() -> BoardBuilder:
    board = roadmap()
    board.legend = dict(HOSTILE_LEGEND)
    return board


def themes_board() -> BoardBuilder:
    """The end of a workshop: ideas grouped into themes, one theme with hostile text, one empty,
    a note left in no theme, a note naming a theme that is gone."""
    board = columns_board()
    board.title = "Rétrospective — thèmes"
    board.locale = "fr"
    (
        board.note("k5", "Shorter stand-ups", 20, 200, "green", "Ana")
        .note("k6", '=HYPERLINK("http://x")', 420, 200, "red", "Ben")
        .note("k7", "Orphan", 820, 200, "blue", "Cy", groupId="gone")
        .group("g1", "Réunions", "k1", "k2", "k5")
        .group("g2", "<b>Outils</b> **gras** [[lien]] =1+1", "k3", "k6")
        .group("g3", "Vide", folded=True)
    )
    return board


THEMES_VOTES = {"k1": 2, "g2": 4, "g1": 1, "k3": 1}


# A comment as hostile as a note can be: markup of every format, a formula, a raw-block end, a
# link that must stay text, a bidi override.
HOSTILE_COMMENT = (
    '=HYPERLINK("http://x") <script>alert(1)</script> "" **gras** [[lien]] {{toc}} '
    "https://exemple.fr \u202eévil"
)


def roadmap_with_talk(anonymous: bool = False) -> BoardBuilder:
    """Reactions and comments (docs/board-schema.md): counts in the fixed emoji order, a thread
    in time order, a hostile comment, a comment and reactions on a note that is gone."""
    board = roadmap()
    board.anonymous = anonymous
    (
        board.react("n1", "💡", "id-ines", "id-lea")
        .react("n1", "👍", "id-ines", "id-lea", "id-noe")
        .react("n6", "❓", "id-hugo")
        .react("gone", "👍", "id-hugo")
        .comment("c1", "n1", "Qui le porte ?", "Inès")
        .comment("c2", "n1", HOSTILE_COMMENT, "Hugo")
        .comment("c3", "n6", "Déjà commencé\nà Dole", "Léa")
        .comment("c4", "gone", "Sur un post-it supprimé", "Sam")
    )
    return board


def _picture(color: tuple[int, int, int], size: tuple[int, int]) -> EncodedImage:
    return EncodedImage(PNG, solid_png(*size, color), *size)


# Image notes (docs/board-schema.md, Image notes): their pictures, by id, as the server keeps them.
PICTURE_WIDE = "Wide_picture_012345678"
PICTURE_TALL = "Tall-picture-abcdefghi"
PICTURE_GONE = "Gone_picture_000000000"
PICTURES = {
    PICTURE_WIDE: _picture((255, 0, 255), (400, 200)),
    PICTURE_TALL: _picture((0, 255, 255), (120, 360)),
}


def images_board() -> BoardBuilder:
    """Image notes: one with a caption, one without, one whose picture is missing (a stock
    client's id of nothing), beside a text note."""
    board = BoardBuilder("Photos de l\u2019atelier")
    board.zone("z1", "Le mur", [0, 0, 800, 600])
    (
        board.note("p1", "Le mur des idées <b>", 20, 60, imageId=PICTURE_WIDE)
        .note("p2", "", 220, 60, "blue", "Inès", imageId=PICTURE_TALL)
        .note("p3", "Photo perdue", 420, 60, "green", "Léa", imageId=PICTURE_GONE)
        .note("t1", "Une idée écrite", 20, 300, "pink", "Noé")
    )
    board.notes["p1"]["rect"] = [20, 60, 180, 140]
    board.notes["p2"]["rect"] = [220, 60, 120, 200]
    return board
