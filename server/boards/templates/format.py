"""Template files (TOML): their structure, field by field checks, and writing one back."""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import isfinite
from typing import Any, NoReturn

from server.boards.file_problems import Wording
from server.boards.templates.problems import ItemsProblem, Place, TemplateError

LOCALES = ("fr", "en")
PALETTE = frozenset({"yellow", "orange", "pink", "red", "green", "blue", "purple", "grey"})

# A board larger than this cannot be seen whole on a projector, even zoomed out.
MAX_BOARD_WIDTH = 6000
MAX_BOARD_HEIGHT = 4000
# Hard ceilings a template file cannot raise: they bound what a board creation request can make.
MAX_LIST_ITEMS = 20
MAX_ITEM_CHARS = 200
MAX_TEXT_CHARS = 1000

TEMPLATE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_PARAMETER_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
# Bidirectional embeddings and overrides make a label display as something else than it is.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})

Texts = dict[str, str]


@dataclass(frozen=True, slots=True)
class Parameter:
    """A list of texts asked at board creation (e.g. the axes of a roadmap)."""

    name: str
    label: Texts
    help: Texts
    default: dict[str, tuple[str, ...]]
    min_items: int
    max_items: int
    max_length: int
    type: str = "list"


@dataclass(frozen=True, slots=True)
class Band:
    """A row or a column of a grid declared in the file."""

    title: Texts
    hint: Texts
    color: str


@dataclass(frozen=True, slots=True)
class StaticZone:
    id: str
    title: Texts
    hint: Texts
    rect: tuple[float, float, float, float]
    color: str
    order: int
    row: Texts
    col: Texts


@dataclass(frozen=True, slots=True)
class Grid:
    """Cells generated row by row; rows and columns are bands or the name of a parameter."""

    id: str
    x: float
    y: float
    cell_width: float
    cell_height: float
    gap: float
    row_gap: float
    order: int
    color: str
    rows: tuple[Band, ...] | str
    columns: tuple[Band, ...] | str


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    order: int
    name: Texts
    description: Texts
    width: float
    height: float
    parameters: tuple[Parameter, ...]
    zones: tuple[StaticZone, ...]
    grid: Grid | None
    source: str
    custom: bool = False


def refused_character(text: str, allow_newline: bool = False) -> str | None:
    """The first character a label must not hold (controls, bidi overrides), or None."""
    for char in text:
        if allow_newline and char == "\n":
            continue
        if char in _BIDI_CONTROLS or unicodedata.category(char) in _REFUSED_CATEGORIES:
            return f"U+{ord(char):04X}"
    return None


def clean_items(parameter: Parameter, value: object) -> tuple[str, ...]:
    """The list as stored: items stripped, blank ones dropped; ItemsProblem says what is wrong."""
    name = repr(parameter.name)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ItemsProblem("items.notList", name=name)
    items = tuple(item.strip() for item in value if item.strip())
    if len(items) > parameter.max_items:
        raise ItemsProblem("items.tooMany", name=name, max=parameter.max_items)
    if len(items) < parameter.min_items:
        raise ItemsProblem("items.tooFew", name=name, min=parameter.min_items)
    for item in items:
        if len(item) > parameter.max_length:
            raise ItemsProblem("items.tooLong", name=name, max=parameter.max_length)
        bad = refused_character(item)
        if bad is not None:
            raise ItemsProblem("items.control", name=name, char=bad)
    return items


class _Reader:
    """Reads one TOML table; every problem is raised with the file and the place in it."""

    def __init__(
        self, source: str | Wording, place: Place, data: object, allowed: set[str]
    ) -> None:
        self.source = source
        self.place = tuple(place)
        if not isinstance(data, dict):
            self.fail("template.notTable")
        self.data: dict[str, Any] = data
        unknown = sorted(set(data) - allowed)
        if unknown:
            self.fail(
                "template.unknownKey", field=repr(unknown[0]), allowed=", ".join(sorted(allowed))
            )

    def fail(self, key: str, **params: Any) -> NoReturn:
        raise TemplateError(key, self.source, self.place, **params)

    def child(self, part: str | Wording, data: object, allowed: set[str]) -> _Reader:
        return _Reader(self.source, (*self.place, part), data, allowed)

    def texts(self, key: str, required: bool = False, multiline: bool = False) -> Texts:
        """Both languages, or (when not required) neither: a text never exists in one only."""
        raw = self.data.get(key, {})
        table = self.child(key, raw, set(LOCALES))
        texts: Texts = {}
        for locale in LOCALES:
            value = table.data.get(locale, "")
            if not isinstance(value, str):
                table.fail("template.textNotText", locale=locale)
            if len(value) > MAX_TEXT_CHARS:
                table.fail("template.textTooLong", locale=locale, max=MAX_TEXT_CHARS)
            bad = refused_character(value, allow_newline=multiline)
            if bad is not None:
                table.fail("template.textControl", locale=locale, char=bad)
            texts[locale] = value
        filled = [locale for locale in LOCALES if texts[locale].strip()]
        if (required and len(filled) < len(LOCALES)) or 0 < len(filled) < len(LOCALES):
            missing = next(locale for locale in LOCALES if locale not in filled)
            table.fail("template.textMissing", locales=", ".join(LOCALES), missing=missing)
        return texts

    def number(self, key: str, default: float | None = None, positive: bool = False) -> float:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not isfinite(value):
            self.fail("template.notNumber", field=key)
        if value < 0 or (positive and value == 0):
            self.fail("template.notAboveZero" if positive else "template.negative", field=key)
        return float(value)

    def integer(self, key: str, default: int | None = None) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail("template.notInteger", field=key)
        return value

    def string(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str):
            self.fail("template.notString", field=key)
        return value

    def color(self, key: str = "color") -> str:
        color = self.string(key, "")
        if color and color not in PALETTE:
            self.fail("template.badColour", colour=repr(color), palette=", ".join(sorted(PALETTE)))
        return color

    def tables(self, key: str) -> list[object]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            self.fail("template.notTables", field=key)
        return list(value)


def _rect(zone: _Reader) -> tuple[float, float, float, float]:
    rect = zone.data.get("rect")
    if not (
        isinstance(rect, list)
        and len(rect) == 4
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in rect)
        and all(isfinite(v) for v in rect)
    ):
        zone.fail("template.badRect")
    return (float(rect[0]), float(rect[1]), float(rect[2]), float(rect[3]))


def _zone(file: _Reader, index: int, raw: object) -> StaticZone:
    keys = {"id", "title", "hint", "rect", "color", "order", "row", "col"}
    zone = file.child(f"zone {index + 1}", raw, keys)
    zone_id = zone.string("id")
    if not zone_id.strip() or len(zone_id) > 64 or refused_character(zone_id):
        zone.fail("template.badZoneId")
    zone.place = (f"zone {zone_id!r}",)
    return StaticZone(
        id=zone_id,
        title=zone.texts("title"),
        hint=zone.texts("hint", multiline=True),
        rect=_rect(zone),
        color=zone.color(),
        order=zone.integer("order"),
        row=zone.texts("row"),
        col=zone.texts("col"),
    )


def _parameter(file: _Reader, index: int, raw: object) -> Parameter:
    keys = {"name", "type", "label", "help", "default", "min_items", "max_items", "max_length"}
    table = file.child(_parameter_place(str(index + 1)), raw, keys)
    name = table.string("name")
    if not _PARAMETER_NAME.fullmatch(name):
        table.fail("template.badParameterName")
    table.place = (_parameter_place(repr(name)),)
    if table.string("type", "list") != "list":
        table.fail("template.badParameterType")
    min_items, max_items = table.integer("min_items", 0), table.integer("max_items", 8)
    max_length = table.integer("max_length", 120)
    if not 0 <= min_items <= max_items <= MAX_LIST_ITEMS:
        table.fail("template.badItemCounts", max=MAX_LIST_ITEMS)
    if not 1 <= max_length <= MAX_ITEM_CHARS:
        table.fail("template.badMaxLength", max=MAX_ITEM_CHARS)
    parameter = Parameter(
        name=name,
        label=table.texts("label", required=True),
        help=table.texts("help", multiline=True),
        default={},
        min_items=min_items,
        max_items=max_items,
        max_length=max_length,
    )
    defaults = table.child("default", table.data.get("default", {}), set(LOCALES))
    values = {}
    for locale in LOCALES:
        try:
            values[locale] = clean_items(parameter, defaults.data.get(locale, []))
        except ItemsProblem as problem:
            defaults.fail("template.badDefault", locale=locale, reason=Wording.of(problem))
    return dataclasses.replace(parameter, default=values)


def _parameter_place(which: str) -> Wording:
    return Wording(f"paramètre {which}", f"parameter {which}")


def _bands(grid: _Reader, key: str) -> tuple[Band, ...] | str:
    """`rows = "axes"` (one band per item of a parameter) or `[[grid.rows]]` tables."""
    value = grid.data.get(key)
    if isinstance(value, str):
        return value
    if not isinstance(value, list) or not value:
        grid.fail("template.badBands", field=key)
    bands = []
    for index, raw in enumerate(value):
        band = grid.child(f"{key} {index + 1}", raw, {"title", "hint", "color"})
        bands.append(
            Band(
                title=band.texts("title", required=True),
                hint=band.texts("hint", multiline=True),
                color=band.color(),
            )
        )
    return tuple(bands)


def _grid(file: _Reader, raw: object) -> Grid:
    keys = {"id", "x", "y", "cell_width", "cell_height", "gap", "row_gap", "order", "color"}
    grid = file.child("grid", raw, keys | {"rows", "columns"})
    grid_id = grid.string("id", "cell")
    if not TEMPLATE_ID.fullmatch(grid_id) or len(grid_id) > 32:
        grid.fail("template.badGridId")
    gap = grid.number("gap", 20)
    return Grid(
        id=grid_id,
        x=grid.number("x"),
        y=grid.number("y"),
        cell_width=grid.number("cell_width", positive=True),
        cell_height=grid.number("cell_height", positive=True),
        gap=gap,
        row_gap=grid.number("row_gap", gap),
        order=grid.integer("order", 1),
        color=grid.color(),
        rows=_bands(grid, "rows"),
        columns=_bands(grid, "columns"),
    )


def parse_template(text: str, source: str | Wording, template_id: str | None = None) -> Template:
    """The template a file describes; `template_id` replaces the file's own (imports)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError("template.notToml", source, reason=str(exc)) from exc
    except RecursionError as exc:
        # tomllib parses nested arrays and inline tables recursively: a few kilobytes of `[`
        # exhaust the stack. No template nests more than a few levels.
        raise TemplateError("template.tooDeep", source) from exc
    keys = {"id", "order", "name", "description", "board", "parameters", "zones", "grid"}
    file = _Reader(source, (), data, keys)
    if template_id is None:
        template_id = file.string("id")
        if not TEMPLATE_ID.fullmatch(template_id):
            file.fail("template.badTemplateId")
    board = file.child("board", data.get("board"), {"width", "height"})
    width, height = board.number("width", positive=True), board.number("height", positive=True)
    if width > MAX_BOARD_WIDTH or height > MAX_BOARD_HEIGHT:
        board.fail("template.boardTooBig", width=MAX_BOARD_WIDTH, height=MAX_BOARD_HEIGHT)
    return Template(
        id=template_id,
        order=file.integer("order", 100),
        name=file.texts("name", required=True),
        description=file.texts("description", required=True, multiline=True),
        width=width,
        height=height,
        parameters=tuple(
            _parameter(file, i, raw) for i, raw in enumerate(file.tables("parameters"))
        ),
        zones=tuple(_zone(file, i, raw) for i, raw in enumerate(file.tables("zones"))),
        grid=None if "grid" not in data else _grid(file, data["grid"]),
        source=text,
    )


_HEADER = """\
# Modèle Ardoise, enregistré depuis un tableau. Ce fichier se lit et se modifie à la main :
# - id : identifiant du modèle (remplacé par le serveur à l'import) ;
# - name, description : nom et description, en français (fr) et en anglais (en) ;
# - board : largeur et hauteur de la surface, en points ; toutes les zones doivent y tenir ;
# - [[zones]] : une zone par bloc, avec
#     id     identifiant unique de la zone,
#     order  ordre de lecture (et d'export), unique,
#     rect   [x, y, largeur, hauteur], depuis le coin en haut à gauche,
#     color  yellow, orange, pink, red, green, blue, purple, grey, ou "" (aucune),
#     title, hint  titre et consigne, en fr et en en,
#     row, col     étiquettes de ligne et de colonne pour un tableau à double entrée.
# Voir docs/templates.md pour tout le format (paramètres, grilles).
"""


def _toml_string(value: str) -> str:
    # JSON's escapes (\\, \", \n, \uXXXX) are all valid in a TOML basic string.
    return json.dumps(value, ensure_ascii=False)


def _toml_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _toml_texts(key: str, texts: Mapping[str, str]) -> list[str]:
    return [f"{key}.{locale} = {_toml_string(texts.get(locale, ''))}" for locale in LOCALES]


def dump_static_template(
    template_id: str,
    name: str,
    description: Mapping[str, str],
    size: tuple[float, float],
    zones: Sequence[StaticZone],
) -> str:
    """A facilitator-readable file of fixed zones (a board saved as a template)."""
    lines = [_HEADER, f"id = {_toml_string(template_id)}", "order = 1000", ""]
    lines += ["[name]", *(f"{loc} = {_toml_string(name)}" for loc in LOCALES), ""]
    lines += ["[description]", *(f"{loc} = {_toml_string(description[loc])}" for loc in LOCALES)]
    lines += [""]
    lines += ["[board]", f"width = {_toml_number(size[0])}", f"height = {_toml_number(size[1])}"]
    for zone in zones:
        rect = ", ".join(_toml_number(v) for v in zone.rect)
        lines += ["", "[[zones]]", f"id = {_toml_string(zone.id)}", f"order = {zone.order}"]
        lines += [f"rect = [{rect}]", f"color = {_toml_string(zone.color)}"]
        lines += _toml_texts("title", zone.title) + _toml_texts("hint", zone.hint)
        if any(zone.row.values()) or any(zone.col.values()):
            lines += _toml_texts("row", zone.row) + _toml_texts("col", zone.col)
    return "\n".join(lines) + "\n"
