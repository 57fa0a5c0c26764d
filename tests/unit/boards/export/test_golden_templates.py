"""Golden files of every text format on a board made from each shipped template.

The layouts come from the real templates (write_layout), so a template change that alters an
export shows up here; regenerate on purpose with ARDOISE_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pycrdt import Doc, Map, Text

from server.boards.board_snapshot import BoardSnapshot, read_board
from server.boards.export import csv_export, json_format, markdown, yeswiki
from server.boards.export.model import build_model
from server.boards.templates.library import DEFAULT_TEMPLATES_DIR, load_templates, write_layout
from tests.unit.boards.export.boards import EXPORTED_AT, T0

GOLDEN = Path(__file__).parent / "golden" / "templates"
UPDATE = os.environ.get("ARDOISE_UPDATE_GOLDEN") == "1"
TEMPLATES = load_templates(DEFAULT_TEMPLATES_DIR)
# Two axes where a template takes them, as a facilitator would type them.
PARAMETERS = {"axes": ("Urgences et coopérations", "Accélération des initiatives de terrain")}
RENDER = {
    "txt": lambda b, v: yeswiki.render(build_model(b, v, EXPORTED_AT)).encode(),
    "md": lambda b, v: markdown.render(build_model(b, v, EXPORTED_AT)).encode(),
    "csv": lambda b, v: csv_export.render(build_model(b, v, EXPORTED_AT)),
    "json": lambda b, v: json_format.render(b, v, EXPORTED_AT),
}


def board_from(template_id: str) -> tuple[BoardSnapshot, dict[str, int]]:
    """The template's layout, a note in each of its first three zones, one outside, one hostile."""
    template = TEMPLATES[template_id]
    layout: Doc[Any] = Doc()
    names = {p.name for p in template.parameters}
    write_layout(
        layout,
        template,
        f"Atelier {template_id}",
        "fr",
        {k: v for k, v in PARAMETERS.items() if k in names},
    )
    zones = sorted(
        (z for z in (layout.get("zones", type=Map).to_py() or {}).values()),
        key=lambda z: z["order"],
    )
    notes_doc: Doc[Any] = Doc()
    votes: dict[str, int] = {}
    with notes_doc.transaction():
        notes = notes_doc.get("notes", type=Map)

        def add(note_id: str, text: str, x: float, y: float, author: str) -> None:
            notes[note_id] = Map(
                {
                    "text": Text(text),
                    "rect": [x - 80, y - 50, 160, 100],
                    "color": "yellow",
                    "authorId": f"id-{author.lower()}",
                    "author": author,
                    "createdAt": T0 + 1000 * len(notes),
                    "z": len(notes) + 1,
                }
            )

        for index, zone in enumerate(zones[:3]):
            x, y, w, h = zone["rect"]
            add(f"z{index}", f"Idée pour « {zone['title']} »", x + w / 2, y + h / 2, "Camille")
            votes[f"z{index}"] = 3 - index
        add("outside", "Une idée hors des zones", -2000, -2000, "Inès")
        add("hostile", '**gras** ""<b>x</b>"" [[lien]] {{grid}} | == titre ==', -2000, -1800, "Noé")
    return read_board(layout, notes_doc), votes


@pytest.mark.parametrize("template_id", sorted(TEMPLATES))
@pytest.mark.parametrize("extension", sorted(RENDER))
def test_each_shipped_template_exports_as_its_golden_file(template_id: str, extension: str) -> None:
    board, votes = board_from(template_id)
    produced = RENDER[extension](board, votes)
    path = GOLDEN / f"{template_id}.{extension}"
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(produced)
    assert path.exists(), f"{path.name} is missing: run with ARDOISE_UPDATE_GOLDEN=1 once"
    assert produced == path.read_bytes(), f"{path.name} differs (ARDOISE_UPDATE_GOLDEN=1)"


def test_every_shipped_template_is_covered() -> None:
    assert {"ou-aller", "etapes-jalons", "rotations", "chroniques-etonnement", "meteo"} <= set(
        TEMPLATES
    )
