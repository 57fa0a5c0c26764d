"""Board templates: checked when loaded, turned into zones and into a board's `layout` document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from pycrdt import Doc, Map

from server.boards.file_problems import Wording
from server.boards.templates.format import (
    LOCALES,
    Band,
    Grid,
    Template,
    clean_items,
    parse_template,
)
from server.boards.templates.problems import ItemsProblem, TemplateError
from server.errors import ArdoiseError
from server.protocol import ErrorCode

# Callers import these from here: the format module is this one's detail.
__all__ = ["LOCALES", "Template", "TemplateError"]

# The repository's templates/, or the copy an installed wheel carries (setup.py).
_PACKAGED_TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "shipped_templates"
DEFAULT_TEMPLATES_DIR = (
    _PACKAGED_TEMPLATES_DIR
    if _PACKAGED_TEMPLATES_DIR.is_dir()
    else Path(__file__).resolve().parents[3] / "templates"
)
# More zones than this is no longer a workshop board, and the gallery preview becomes noise.
MAX_ZONES = 200

Values = Mapping[str, Sequence[str]]


@dataclass(frozen=True, slots=True)
class Zone:
    """A zone as written in a board's layout (docs/board-schema.md, `layout` document), texts in
    the board's locale."""

    id: str
    title: str
    hint: str
    rect: tuple[float, float, float, float]
    color: str
    order: int
    row: str = ""
    col: str = ""
    is_cell: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "hint": self.hint,
            "rect": list(self.rect),
            "color": self.color,
            "order": self.order,
            "row": self.row,
            "col": self.col,
        }


def default_values(template: Template, locale: str) -> dict[str, tuple[str, ...]]:
    return {p.name: p.default[locale] for p in template.parameters}


def _bands(spec: tuple[Band, ...] | str, locale: str, values: Values) -> list[tuple[str, ...]]:
    """(label, hint, colour) of each band; an empty list parameter still makes one band."""
    if isinstance(spec, str):
        return [(item, "", "") for item in values.get(spec, ())] or [("", "", "")]
    return [(band.title[locale], band.hint[locale], band.color) for band in spec]


def _cells(grid: Grid, locale: str, values: Values) -> list[Zone]:
    rows, columns = _bands(grid.rows, locale, values), _bands(grid.columns, locale, values)
    cells = []
    for i, (row, row_hint, row_color) in enumerate(rows):
        for j, (col, col_hint, col_color) in enumerate(columns):
            x = grid.x + j * (grid.cell_width + grid.gap)
            y = grid.y + i * (grid.cell_height + grid.row_gap)
            cells.append(
                Zone(
                    id=f"{grid.id}-{i + 1}-{j + 1}",
                    title=col,
                    hint=col_hint or row_hint,
                    rect=(x, y, grid.cell_width, grid.cell_height),
                    color=col_color or row_color or grid.color,
                    order=grid.order + i * len(columns) + j,
                    row=row,
                    col=col,
                    is_cell=True,
                )
            )
    return cells


def layout_zones(template: Template, locale: str, values: Values | None = None) -> list[Zone]:
    """Every zone of a board made from the template, in reading order."""
    merged = {**default_values(template, locale), **(values or {})}
    zones = [
        Zone(
            id=z.id,
            title=z.title[locale],
            hint=z.hint[locale],
            rect=z.rect,
            color=z.color,
            order=z.order,
            row=z.row[locale],
            col=z.col[locale],
        )
        for z in template.zones
    ]
    if template.grid is not None:
        zones += _cells(template.grid, locale, merged)
    return sorted(zones, key=lambda z: z.order)


def _overlap(a: Zone, b: Zone) -> bool:
    ax, ay, aw, ah = a.rect
    bx, by, bw, bh = b.rect
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def _check_zones(
    template: Template, source: str | Wording, zones: list[Zone], case: Wording
) -> None:
    def fail(key: str, **params: Any) -> None:
        raise TemplateError(key, source, case=case, **params)

    if len(zones) > MAX_ZONES:
        fail("template.zoneCount", count=len(zones), max=MAX_ZONES)
    seen_ids: set[str] = set()
    seen_orders: dict[int, str] = {}
    for zone in zones:
        if zone.id in seen_ids:
            fail("template.zoneIdTwice", id=repr(zone.id))
        seen_ids.add(zone.id)
        if zone.order in seen_orders:
            fail("template.sameOrder", first=repr(seen_orders[zone.order]), second=repr(zone.id))
        seen_orders[zone.order] = zone.id
        x, y, w, h = zone.rect
        if w <= 0 or h <= 0 or x < 0 or y < 0 or x + w > template.width or y + h > template.height:
            fail(
                "template.outside",
                id=repr(zone.id),
                rect=list(zone.rect),
                width=f"{template.width:g}",
                height=f"{template.height:g}",
            )
    for a, b in combinations(zones, 2):
        if (a.is_cell or b.is_cell) and _overlap(a, b):
            cell, other = (a, b) if a.is_cell else (b, a)
            fail("template.cellOverlaps", cell=repr(cell.id), other=repr(other.id))


def check_template(template: Template, source: str | Wording) -> Template:
    """Every rule, on the layouts of the default, the smallest and the largest parameters."""
    used: set[str] = set()
    if template.grid is not None:
        for key, spec in (("rows", template.grid.rows), ("columns", template.grid.columns)):
            if not isinstance(spec, str):
                continue
            parameter = next((p for p in template.parameters if p.name == spec), None)
            if parameter is None:
                raise TemplateError("template.noSuchParameter", source, field=key, name=repr(spec))
            if key == "columns" and parameter.min_items < 1:
                raise TemplateError("template.columnsNeedItems", source, name=repr(spec))
            used.add(spec)
    # Counted before any layout is made: a 64 KiB file can declare a million cells.
    most = {p.name: p.max_items for p in template.parameters}
    if template.grid is not None:
        rows, columns = template.grid.rows, template.grid.columns
        row_count = most.get(rows, 1) if isinstance(rows, str) else len(rows)
        column_count = most.get(columns, 1) if isinstance(columns, str) else len(columns)
        if row_count * column_count + len(template.zones) > MAX_ZONES:
            raise TemplateError("template.tooManyZones", source, max=MAX_ZONES)
    elif len(template.zones) > MAX_ZONES:
        raise TemplateError("template.tooManyZones", source, max=MAX_ZONES)
    names = [p.name for p in template.parameters]
    for name in names:
        if names.count(name) > 1:
            raise TemplateError("template.parameterTwice", source, name=repr(name))
        if name not in used:
            raise TemplateError("template.parameterUnused", source, name=repr(name))
    smallest = {p.name: ("x",) * p.min_items for p in template.parameters}
    largest = {p.name: ("x" * p.max_length,) * p.max_items for p in template.parameters}
    for locale in LOCALES:
        case = Wording(f"paramètres par défaut, {locale}", f"default parameters, {locale}")
        _check_zones(template, source, layout_zones(template, locale), case)
    fewest_items = Wording("le moins d\u2019éléments", "fewest items")
    _check_zones(template, source, layout_zones(template, "fr", smallest), fewest_items)
    most_items = Wording("le plus d\u2019éléments", "most items")
    _check_zones(template, source, layout_zones(template, "fr", largest), most_items)
    return template


def read_template(text: str, source: str | Wording, template_id: str | None = None) -> Template:
    """Parse and check a template file; raises TemplateError naming `source` and the problem."""
    return check_template(parse_template(text, source, template_id), source)


def load_templates(folder: Path) -> dict[str, Template]:
    """Every template of the folder, in gallery order; a broken file stops the server at start."""
    templates = []
    for path in sorted(folder.glob("*.toml")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError("template.unreadable", path.name, reason=str(exc)) from exc
        template = read_template(text, path.name)
        if template.id != path.stem:
            raise TemplateError("template.idNotFileName", path.name, stem=repr(path.stem))
        templates.append(template)
    if not any(t.id == "blank" for t in templates):
        raise TemplateError("template.blankMissing", str(folder))
    return {t.id: t for t in sorted(templates, key=lambda t: (t.order, t.id))}


def parameter_values(
    template: Template, raw: Mapping[str, Any], locale: str
) -> dict[str, tuple[str, ...]]:
    """The request's parameters, checked; plain texts, never interpreted. Missing ones default
    in write_layout. Raises ArdoiseError(INVALID) naming the parameter, in `locale`."""
    known = {p.name: p for p in template.parameters}
    values = {}
    for name, value in raw.items():
        parameter = known.get(name)
        if parameter is None:
            expected = ", ".join(known) or "none"
            raise ArdoiseError(
                ErrorCode.INVALID,
                f"unknown parameter {name[:40]!r} for template {template.id!r} "
                f"(expected: {expected})",
            )
        try:
            values[name] = clean_items(parameter, value)
        except ItemsProblem as problem:
            raise ArdoiseError(ErrorCode.INVALID, problem.text(locale)) from problem
    return values


def summary(template: Template, locale: str) -> dict[str, Any]:
    """The entry of GET /api/templates: enough for a gallery preview and a parameters form."""
    return {
        "id": template.id,
        "name": template.name[locale],
        "description": template.description[locale],
        "custom": template.custom,
        "board": {"width": template.width, "height": template.height},
        "parameters": [
            {
                "name": p.name,
                "type": p.type,
                "label": p.label,
                "help": p.help,
                "default": {loc: list(items) for loc, items in p.default.items()},
                "minItems": p.min_items,
                "maxItems": p.max_items,
                "maxLength": p.max_length,
            }
            for p in template.parameters
        ],
        "zones": [zone.as_json() for zone in layout_zones(template, locale)],
    }


def write_layout(
    doc: Doc[Any], template: Template, title: str, locale: str, parameters: Values | None = None
) -> None:
    """Fill an empty layout document (docs/board-schema.md) from a template and checked
    parameters."""
    with doc.transaction():
        meta = doc.get("meta", type=Map)
        meta["title"] = title
        meta["template"] = template.id
        meta["locale"] = locale
        meta["locked"] = False
        meta["anonymous"] = False
        meta["voting"] = Map({"state": "off", "secret": True, "revealed": False, "budget": 5})
        # Present from the start, so that two facilitators naming their first colours at once
        # both write into this one map instead of each replacing the other's new map.
        meta["legend"] = Map()
        zones = doc.get("zones", type=Map)
        for zone in layout_zones(template, locale, parameters):
            fields = zone.as_json()
            del fields["id"]
            zones[zone.id] = Map(fields)
        timer = doc.get("timer", type=Map)
        timer["label"] = ""
        timer["durationMs"] = 0
        timer["endsAt"] = None
        timer["remainingMs"] = None
