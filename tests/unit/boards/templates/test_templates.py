"""Templates: each shipped file loads, checks and makes its layout; bad files are named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pycrdt import Doc, Map

from server.boards.templates.format import (
    LOCALES,
    PALETTE,
    StaticZone,
    dump_static_template,
)
from server.boards.templates.library import (
    DEFAULT_TEMPLATES_DIR,
    Template,
    layout_zones,
    load_templates,
    parameter_values,
    read_template,
    summary,
    write_layout,
)
from server.boards.templates.problems import TemplateError
from server.errors import ArdoiseError
from server.protocol import ErrorCode

TEMPLATES = load_templates(DEFAULT_TEMPLATES_DIR)

# Titles of every zone in reading order, with the default parameters.
EXPECTED_TITLES: dict[str, dict[str, list[str]]] = {
    "blank": {"fr": [], "en": []},
    "ou-aller": {
        "fr": ["Où aller ?", "Avec quelles ressources ou leviers ?", "Par quelles étapes ?"] * 2,
        "en": ["Where to go?", "With which resources or levers?", "Through which steps?"] * 2,
    },
    "etapes-jalons": {
        "fr": ["1 mois", "6 mois", "1 an", "2 ans", "Idéal"] * 2,
        "en": ["1 month", "6 months", "1 year", "2 years", "Ideal"] * 2,
    },
    "rotations": {
        "fr": ["Origines et finalités", "Ressources", "Actions"],
        "en": ["Origins and purposes", "Resources", "Actions"],
    },
    "chroniques-etonnement": {
        "fr": ["Émotion du jour", "Ce qui m\u2019étonne"]
        + ["Garder", "Arrêter ou transformer", "Appris"] * 2,
        "en": ["Today\u2019s emotion", "What surprises me"]
        + ["Keep", "Stop or transform", "Learned"] * 2,
    },
    "meteo": {
        "fr": ["Grand soleil", "Éclaircies", "Nuageux", "Pluie", "Orage"],
        "en": ["Sunny", "Sunny spells", "Cloudy", "Rain", "Storm"],
    },
    "forum-ouvert": {
        "fr": ["Place du marché : sujets proposés"] + ["Salle A", "Salle B", "Jardin"] * 3,
        "en": ["Market place: proposed topics"] + ["Room A", "Room B", "Garden"] * 3,
    },
    "pro-action-cafe": {
        "fr": ["Tour 1 : l\u2019intention", "Tour 2 : ce qui manque", "Tour 3 : prochains pas"] * 2,
        "en": ["Round 1: the intention", "Round 2: what is missing", "Round 3: next steps"] * 2,
    },
}

AXES = ["Urgences et coopérations", "Accélération des initiatives de terrain"]


def layout(
    template: Template, locale: str = "fr", parameters: dict[str, list[str]] | None = None
) -> list[dict[str, Any]]:
    """The zones of a fresh layout document, in reading order, as a client would read them."""
    doc: Doc[Any] = Doc()
    values = None if parameters is None else parameter_values(template, parameters, locale)
    write_layout(doc, template, "Atelier", locale, values)
    raw = doc.get("zones", type=Map).to_py() or {}
    zones = [{"id": zone_id, **fields} for zone_id, fields in raw.items()]
    return sorted(zones, key=lambda z: z["order"])


def test_every_shipped_template_is_listed_and_checked() -> None:
    assert set(TEMPLATES) == set(EXPECTED_TITLES)
    assert next(iter(TEMPLATES)) == "blank"
    for template in TEMPLATES.values():
        for locale in LOCALES:
            assert template.name[locale].strip() and template.description[locale].strip()
            for zone in layout_zones(template, locale):
                assert zone.color in PALETTE | {""}
                x, y, w, h = zone.rect
                assert x >= 0 and y >= 0 and x + w <= template.width and y + h <= template.height
        orders = [z.order for z in layout_zones(template, "fr")]
        assert len(orders) == len(set(orders))


def test_every_shipped_file_starts_with_french_comments() -> None:
    for path in DEFAULT_TEMPLATES_DIR.glob("*.toml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# Modèle Ardoise"), path.name


@pytest.mark.parametrize("template_id", sorted(EXPECTED_TITLES))
@pytest.mark.parametrize("locale", LOCALES)
def test_template_makes_its_zones_in_each_language(template_id: str, locale: str) -> None:
    template = TEMPLATES[template_id]
    zones = layout(template, locale)
    assert [z["title"] for z in zones] == EXPECTED_TITLES[template_id][locale]
    assert [z["order"] for z in zones] == sorted({z["order"] for z in zones})
    for zone in zones:
        assert set(zone) == {"id", "title", "hint", "rect", "color", "order", "row", "col"}
        assert len(zone["rect"]) == 4


def test_rotations_asks_its_questions_in_both_languages() -> None:
    fr = {z["id"]: z["hint"] for z in layout(TEMPLATES["rotations"], "fr")}
    en = {z["id"]: z["hint"] for z in layout(TEMPLATES["rotations"], "en")}
    assert "D\u2019où vient le projet ?" in fr["origines"]
    assert "Pourquoi est-ce important ?" in fr["origines"]
    assert "Qu\u2019est-ce qui nous manque ?" in fr["ressources"]
    assert "Quels jalons pour les 6 prochains mois ?" in fr["actions"]
    assert "What are we missing?" in en["ressources"]


def test_roadmap_with_two_axes_is_two_rows_of_five_horizons() -> None:
    for locale, columns in (
        ("fr", ["1 mois", "6 mois", "1 an", "2 ans", "Idéal"]),
        ("en", ["1 month", "6 months", "1 year", "2 years", "Ideal"]),
    ):
        zones = layout(TEMPLATES["etapes-jalons"], locale, {"axes": AXES})
        assert len(zones) == 10
        # Axis texts are kept as typed, whatever the board's language; columns follow it.
        assert [(z["row"], z["col"]) for z in zones] == [(a, c) for a in AXES for c in columns]
        assert [z["order"] for z in zones] == list(range(1, 11))
        first, second = zones[:5], zones[5:]
        assert len({z["rect"][1] for z in first}) == 1
        assert second[0]["rect"][1] > first[0]["rect"][1] + first[0]["rect"][3]
        assert [z["rect"][0] for z in first] == sorted(z["rect"][0] for z in first)


def test_roadmap_with_eight_axes_still_fits_the_board() -> None:
    axes = [f"Axe {n}" for n in range(8)]
    zones = layout(TEMPLATES["etapes-jalons"], "fr", {"axes": axes})
    assert len(zones) == 40 and len({z["id"] for z in zones}) == 40


def test_three_columns_make_one_band_per_axis() -> None:
    zones = layout(TEMPLATES["ou-aller"], "fr", {"axes": AXES})
    assert [z["row"] for z in zones] == [AXES[0]] * 3 + [AXES[1]] * 3
    assert [z["col"] for z in zones[:3]] == [
        "Où aller ?",
        "Avec quelles ressources ou leviers ?",
        "Par quelles étapes ?",
    ]
    assert [z["color"] for z in zones[:3]] == ["blue", "green", "orange"]
    assert zones[3]["rect"][1] > zones[0]["rect"][1]


def test_three_columns_without_axes_is_a_single_band() -> None:
    for empty in ([], ["  ", ""]):
        zones = layout(TEMPLATES["ou-aller"], "en", {"axes": empty})
        assert [z["title"] for z in zones] == [
            "Where to go?",
            "With which resources or levers?",
            "Through which steps?",
        ]
        assert {z["row"] for z in zones} == {""}


def test_default_axes_follow_the_board_language() -> None:
    assert {z["row"] for z in layout(TEMPLATES["ou-aller"], "fr")} == set(AXES)
    assert {z["row"] for z in layout(TEMPLATES["ou-aller"], "en")} == {
        "Emergencies and cooperation",
        "Speeding up local initiatives",
    }


def test_forum_ouvert_is_time_slots_by_spaces() -> None:
    slots, spaces = ["9 h", "10 h", "11 h"], ["Amphi", "Cour"]
    zones = layout(TEMPLATES["forum-ouvert"], "fr", {"slots": slots, "spaces": spaces})
    assert zones[0]["id"] == "marche" and zones[0]["row"] == ""
    cells = zones[1:]
    assert [(z["row"], z["col"]) for z in cells] == [(s, p) for s in slots for p in spaces]
    assert [z["title"] for z in cells] == spaces * 3


def test_chroniques_grid_is_personal_and_collective_by_keep_stop_learned() -> None:
    for locale, rows in (
        ("fr", ["À titre personnel", "À titre collectif"]),
        ("en", ["Personally", "Collectively"]),
    ):
        cells = [z for z in layout(TEMPLATES["chroniques-etonnement"], locale) if z["row"]]
        assert [z["row"] for z in cells] == [rows[0]] * 3 + [rows[1]] * 3
        assert len({z["col"] for z in cells}) == 3


def test_summary_describes_parameters_for_a_form_and_zones_for_a_preview() -> None:
    entry = summary(TEMPLATES["etapes-jalons"], "en")
    assert entry["name"] == "Steps and milestones" and entry["custom"] is False
    (axes,) = entry["parameters"]
    assert axes["name"] == "axes" and axes["type"] == "list"
    assert axes["label"]["fr"] and axes["label"]["en"]
    assert axes["default"]["fr"] == AXES
    assert (axes["minItems"], axes["maxItems"], axes["maxLength"]) == (0, 8, 120)
    assert len(entry["zones"]) == 10 and entry["zones"][0]["title"] == "1 month"


# ---- parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameters", "fragment"),
    [
        ({"axis": ["a"]}, "unknown parameter 'axis'"),
        ({"axes": "Urgences"}, "'axes' must be a list of texts"),
        ({"axes": [1, 2]}, "'axes' must be a list of texts"),
        ({"axes": None}, "'axes' must be a list of texts"),
        ({"axes": [f"a{n}" for n in range(9)]}, "'axes' takes at most 8 items"),
        ({"axes": ["x" * 121]}, "'axes': an item is over 120 characters"),
        ({"axes": ["ligne\nsuivante"]}, "'axes': control character U+000A"),
        ({"axes": ["bip\x07"]}, "'axes': control character U+0007"),
        ({"axes": ["\u202eevil"]}, "'axes': control character U+202E"),
    ],
)
def test_bad_parameters_are_refused_naming_the_parameter(
    parameters: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(ArdoiseError) as caught:
        parameter_values(TEMPLATES["etapes-jalons"], parameters, "en")
    assert caught.value.code is ErrorCode.INVALID
    assert fragment in caught.value.message


def test_columns_from_a_parameter_need_one_item() -> None:
    with pytest.raises(ArdoiseError, match="'spaces' needs at least 1 items"):
        parameter_values(TEMPLATES["forum-ouvert"], {"spaces": []}, "en")


def test_a_bad_parameter_is_refused_in_the_board_s_language() -> None:
    roadmap = TEMPLATES["etapes-jalons"]
    for parameters, locale, expected in (
        (
            {"axes": [f"a{n}" for n in range(9)]},
            "fr",
            "le paramètre 'axes' prend 8 éléments au plus",
        ),
        (
            {"axes": ["bip\x07"]},
            "fr",
            "paramètre 'axes' : le caractère de contrôle U+0007 est refusé",
        ),
        ({"axes": ["bip\x07"]}, "en", "parameter 'axes': control character U+0007 refused"),
    ):
        with pytest.raises(ArdoiseError) as caught:
            parameter_values(roadmap, parameters, locale)
        assert caught.value.message == expected


def test_parameter_texts_are_kept_as_plain_text() -> None:
    hostile = ["<script>alert(1)</script>", "==titre== **gras** [[lien]]", "  espacé  "]
    values = parameter_values(TEMPLATES["etapes-jalons"], {"axes": hostile}, "fr")
    assert values == {
        "axes": ("<script>alert(1)</script>", "==titre== **gras** [[lien]]", "espacé")
    }
    rows = {z["row"] for z in layout(TEMPLATES["etapes-jalons"], "fr", {"axes": hostile})}
    assert rows == set(values["axes"])


# ---- checks of template files ----------------------------------------------------------------

VALID = """\
id = "essai"
[name]
fr = "Essai"
en = "Trial"
[description]
fr = "Un essai."
en = "A trial."
[board]
width = 1000
height = 800

[[parameters]]
name = "axes"
label.fr = "Axes"
label.en = "Axes"
default.fr = ["Un"]
default.en = ["One"]
max_items = 3

[[zones]]
id = "haut"
order = 1
rect = [0, 0, 1000, 100]
color = "yellow"
title.fr = "En haut"
title.en = "At the top"

[grid]
x = 0
y = 200
cell_width = 300
cell_height = 100
gap = 20
order = 2
rows = "axes"

[[grid.columns]]
title.fr = "A"
title.en = "A"

[[grid.columns]]
title.fr = "B"
title.en = "B"
"""


def test_the_reference_file_is_valid() -> None:
    template = read_template(VALID, "essai.toml")
    assert [z.id for z in layout_zones(template, "en")] == ["haut", "cell-1-1", "cell-1-2"]


@pytest.mark.parametrize(
    ("old", "new", "fragment", "french"),
    [
        (
            "rect = [0, 0, 1000, 100]",
            "rect = [0, 0, 1001, 100]",
            "zone 'haut' at",
            "la zone 'haut' en [0.0, 0.0, 1001.0, 100.0] dépasse du tableau (1000 x 800) "
            "(paramètres par défaut, fr)",
        ),
        ("order = 1\n", "order = 2\n", "same order", "ont le même order"),
        (
            'title.en = "At the top"\n',
            "",
            "en is missing",
            "zone 'haut' title : demande un texte dans chaque langue, fr, en (en manque)",
        ),
        (
            'color = "yellow"',
            'color = "jaune"',
            "colour 'jaune' is not one of",
            "zone 'haut' : la couleur 'jaune' n\u2019est pas l\u2019une de blue, green,",
        ),
        (
            "y = 200",
            "y = 50",
            "grid cell 'cell-1-1' overlaps 'haut'",
            "la case 'cell-1-1' de la grille chevauche 'haut'",
        ),
        (
            "max_items = 3",
            "max_items = 9",
            "outside the board (1000 x 800) (most items)",
            "dépasse du tableau (1000 x 800) (le plus d\u2019éléments)",
        ),
        (
            "[board]\nwidth = 1000",
            '[board]\nwidth = "large"',
            "board: width must be a number",
            "board : width doit être un nombre",
        ),
        (
            'rows = "axes"',
            'rows = "axis"',
            "no parameter named 'axis'",
            "grid rows : aucun paramètre ne s\u2019appelle 'axis'",
        ),
        (
            'name = "axes"',
            'name = "axes"\ncolour = "red"',
            "unknown key 'colour'",
            "paramètre 1 : clé inconnue 'colour' (attendu : default, help,",
        ),
        (
            'id = "haut"',
            'id = "cell-1-1"\ncolumns = 3',
            "unknown key 'columns'",
            "zone 1 : clé inconnue 'columns'",
        ),
        (
            'default.fr = ["Un"]',
            'default.fr = ["Un", "Deux", "Trois", "Quatre"]',
            "at most 3",
            "paramètre 'axes' default : fr : le paramètre 'axes' prend 3 éléments au plus",
        ),
        (
            'en = "A trial."',
            'en = "A trial."\n[oops',
            "not valid TOML",
            "ce n\u2019est pas du TOML valide : ",
        ),
        (
            "rect = [0, 0, 1000, 100]",
            "rect = [0, 0, nan, 100]",
            "rect must be [x, y,",
            "zone 'haut' : rect doit être [x, y, largeur, hauteur]",
        ),
        ("gap = 20", "gap = inf", "grid: gap must be a number", "grid : gap doit être un nombre"),
    ],
)
def test_a_broken_file_is_refused_naming_the_file_and_the_problem(
    old: str, new: str, fragment: str, french: str
) -> None:
    assert old in VALID
    text = VALID.replace(old, new, 1)
    with pytest.raises(TemplateError) as caught:
        read_template(text, "essai.toml")
    assert str(caught.value).startswith("essai.toml: ")
    assert fragment in str(caught.value)
    assert caught.value.text("fr").startswith("essai.toml : ")
    assert french in caught.value.text("fr")


def test_overlapping_grid_cells_are_refused() -> None:
    # Two grids cannot be declared, so overlapping cells come from a fixed zone on the grid.
    text = VALID.replace(
        "[grid]",
        '[[zones]]\nid = "dessous"\norder = 9\nrect = [310, 250, 20, 20]'
        '\ntitle.fr = "x"\ntitle.en = "x"\n\n[grid]',
    )
    with pytest.raises(TemplateError, match="grid cell 'cell-1-2' overlaps 'dessous'"):
        read_template(text, "essai.toml")


def test_a_file_declaring_too_many_cells_is_refused_before_making_them() -> None:
    band = '[[grid.{}]]\ntitle.fr = "b"\ntitle.en = "b"\n'
    text = VALID.replace('rows = "axes"', "") + band.format("columns") * 100
    text += band.format("rows") * 10_000
    with pytest.raises(TemplateError, match="more than 200 zones"):
        read_template(text, "essai.toml")


def test_duplicate_zone_ids_are_refused() -> None:
    text = VALID.replace('id = "haut"', 'id = "cell-1-1"')
    with pytest.raises(TemplateError, match=r"essai\.toml: zone id 'cell-1-1' is used twice"):
        read_template(text, "essai.toml")


def test_a_broken_file_in_the_folder_stops_loading(tmp_path: Path) -> None:
    for path in DEFAULT_TEMPLATES_DIR.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert set(load_templates(tmp_path)) == set(TEMPLATES)
    meteo = (tmp_path / "meteo.toml").read_text(encoding="utf-8")
    (tmp_path / "meteo.toml").write_text(meteo.replace('"purple"', '"violet"'), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"^meteo\.toml: zone 'orage': colour 'violet'"):
        load_templates(tmp_path)
    (tmp_path / "meteo.toml").write_text(meteo.replace('id = "meteo"', 'id = "meteo-2"'))
    with pytest.raises(TemplateError, match=r"^meteo\.toml: id must be 'meteo'"):
        load_templates(tmp_path)
    (tmp_path / "meteo.toml").unlink()
    (tmp_path / "blank.toml").unlink()
    with pytest.raises(TemplateError, match="'blank' template is missing"):
        load_templates(tmp_path)


def test_a_saved_board_is_written_as_a_readable_file_and_read_back() -> None:
    both = dict.fromkeys(LOCALES, "Où aller ?")
    zones = [
        StaticZone(
            "z1",
            both,
            dict.fromkeys(LOCALES, 'dit "oui"\npuis'),
            (10, 20, 300.5, 200),
            "blue",
            1,
            dict.fromkeys(LOCALES, "Axe"),
            dict.fromkeys(LOCALES, "6 mois"),
        ),
        StaticZone(
            "z2",
            dict.fromkeys(LOCALES, ""),
            dict.fromkeys(LOCALES, ""),
            (400, 20, 300, 200),
            "",
            2,
            dict.fromkeys(LOCALES, ""),
            dict.fromkeys(LOCALES, ""),
        ),
    ]
    description = {"fr": "Depuis « Atelier ».", "en": "From “Atelier”."}
    text = dump_static_template("mon-modele-abc234", "Mon modèle", description, (800, 300), zones)
    assert text.startswith("# Modèle Ardoise")
    template = read_template(text, "mon-modele-abc234.toml")
    assert template.id == "mon-modele-abc234" and template.name == dict.fromkeys(
        LOCALES, "Mon modèle"
    )
    assert template.description == description
    assert list(template.zones) == zones
