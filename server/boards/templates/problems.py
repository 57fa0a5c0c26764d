"""TemplateError: what is wrong with a template file, in French and English.

Why: a facilitator who imports a template file (TOML) reads the reason on the home page
("Le modèle n'a pas été importé. ..."); a French team must not get it in English. A reason
names the file and the place in it; TOML keys (`rect`, `max_items`) stay as written in the file,
the words around them are translated. The HTTP layer picks the request's language
(`server.http.inputs.locale`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from server.boards.file_problems import FileProblem, Wording

# key -> {locale: text}; the texts of a key take the same {placeholders} (tests check it).
TEXTS: dict[str, dict[str, str]] = {
    "template.notToml": {
        "fr": "ce n\u2019est pas du TOML valide : {reason}",
        "en": "not valid TOML: {reason}",
    },
    "template.tooDeep": {
        "fr": "ses tables ou ses listes sont imbriquées trop profondément",
        "en": "its tables or arrays are nested too deeply",
    },
    "template.notUtf8": {
        "fr": "le fichier de modèle doit être un texte en UTF-8",
        "en": "the template file must be UTF-8 text",
    },
    "template.unreadable": {
        "fr": "illisible : {reason}",
        "en": "cannot be read: {reason}",
    },
    "template.notTable": {"fr": "doit être une table", "en": "must be a table"},
    "template.unknownKey": {
        "fr": "clé inconnue {field} (attendu : {allowed})",
        "en": "unknown key {field} (expected one of {allowed})",
    },
    "template.textNotText": {"fr": "{locale} doit être un texte", "en": "{locale} must be a text"},
    "template.textTooLong": {
        "fr": "{locale} dépasse {max} caractères",
        "en": "{locale} is over {max} characters",
    },
    "template.textControl": {
        "fr": "{locale} contient le caractère de contrôle {char}",
        "en": "{locale} holds the control character {char}",
    },
    "template.textMissing": {
        "fr": "demande un texte dans chaque langue, {locales} ({missing} manque)",
        "en": "needs a text in each of {locales} ({missing} is missing)",
    },
    "template.notNumber": {"fr": "{field} doit être un nombre", "en": "{field} must be a number"},
    "template.notAboveZero": {
        "fr": "{field} doit être supérieur à 0",
        "en": "{field} must be above 0",
    },
    "template.negative": {"fr": "{field} doit être au moins 0", "en": "{field} must be at least 0"},
    "template.notInteger": {
        "fr": "{field} doit être un nombre entier",
        "en": "{field} must be a whole number",
    },
    "template.notString": {"fr": "{field} doit être un texte", "en": "{field} must be a text"},
    "template.badColour": {
        "fr": "la couleur {colour} n\u2019est pas l\u2019une de {palette} (ou vide)",
        "en": "colour {colour} is not one of {palette} (or empty)",
    },
    "template.notTables": {
        "fr": "{field} doit être une liste de tables ([[{field}]])",
        "en": "{field} must be a list of tables ([[{field}]])",
    },
    "template.badRect": {
        "fr": "rect doit être [x, y, largeur, hauteur]",
        "en": "rect must be [x, y, width, height]",
    },
    "template.badZoneId": {"fr": "id doit être un texte court", "en": "id must be a short text"},
    "template.badParameterName": {
        "fr": "name ne peut avoir que des minuscules, des chiffres et _ (par exemple axes)",
        "en": "name must be lower-case letters, digits and _ (e.g. axes)",
    },
    "template.badParameterType": {
        "fr": "type doit valoir 'list' (une liste de textes)",
        "en": "type must be 'list' (a list of texts)",
    },
    "template.badItemCounts": {
        "fr": "il faut 0 <= min_items <= max_items <= {max}",
        "en": "needs 0 <= min_items <= max_items <= {max}",
    },
    "template.badMaxLength": {
        "fr": "max_length doit être entre 1 et {max}",
        "en": "max_length must be between 1 and {max}",
    },
    "template.badDefault": {"fr": "{locale} : {reason}", "en": "{locale}: {reason}"},
    "template.badBands": {
        "fr": "{field} doit nommer un paramètre ou être une liste de tables",
        "en": "{field} must name a parameter or be a list of tables",
    },
    "template.badGridId": {
        "fr": "id ne peut avoir que des minuscules, des chiffres et -",
        "en": "id must be lower-case letters, digits and -",
    },
    "template.badTemplateId": {
        "fr": "id ne peut avoir que des minuscules, des chiffres et - (64 au plus)",
        "en": "id must be lower-case letters, digits and - (at most 64)",
    },
    "template.boardTooBig": {
        "fr": "le tableau mesure au plus {width} x {height}",
        "en": "the board is at most {width} x {height}",
    },
    "template.zoneCount": {
        "fr": "{count} zones, {max} au plus",
        "en": "{count} zones, at most {max}",
    },
    "template.zoneIdTwice": {
        "fr": "l\u2019id de zone {id} est utilisé deux fois",
        "en": "zone id {id} is used twice",
    },
    "template.sameOrder": {
        "fr": "les zones {first} et {second} ont le même order",
        "en": "zones {first} and {second} have the same order",
    },
    "template.outside": {
        "fr": "la zone {id} en {rect} dépasse du tableau ({width} x {height})",
        "en": "zone {id} at {rect} is outside the board ({width} x {height})",
    },
    "template.cellOverlaps": {
        "fr": "la case {cell} de la grille chevauche {other}",
        "en": "grid cell {cell} overlaps {other}",
    },
    "template.noSuchParameter": {
        "fr": "grid {field} : aucun paramètre ne s\u2019appelle {name}",
        "en": "grid {field}: no parameter named {name}",
    },
    "template.columnsNeedItems": {
        "fr": "le paramètre {name} fait des colonnes : min_items doit être >= 1",
        "en": "parameter {name} makes columns: min_items must be >= 1",
    },
    "template.tooManyZones": {
        "fr": "plus de {max} zones",
        "en": "more than {max} zones",
    },
    "template.parameterTwice": {
        "fr": "le paramètre {name} est déclaré deux fois",
        "en": "parameter {name} is declared twice",
    },
    "template.parameterUnused": {
        "fr": "le paramètre {name} ne sert pas à la grille",
        "en": "parameter {name} is not used by the grid",
    },
    "template.idNotFileName": {
        "fr": "id doit valoir {stem}, le nom du fichier",
        "en": "id must be {stem}, the file\u2019s name",
    },
    "template.blankMissing": {
        "fr": "le modèle 'blank' manque",
        "en": "the 'blank' template is missing",
    },
    # A parameter's items: in a template's defaults, or asked when a board is created.
    "items.notList": {
        "fr": "le paramètre {name} doit être une liste de textes",
        "en": "parameter {name} must be a list of texts",
    },
    "items.tooMany": {
        "fr": "le paramètre {name} prend {max} éléments au plus",
        "en": "parameter {name} takes at most {max} items",
    },
    "items.tooFew": {
        "fr": "le paramètre {name} demande au moins {min} éléments",
        "en": "parameter {name} needs at least {min} items",
    },
    "items.tooLong": {
        "fr": "paramètre {name} : un élément dépasse {max} caractères",
        "en": "parameter {name}: an item is over {max} characters",
    },
    "items.control": {
        "fr": "paramètre {name} : le caractère de contrôle {char} est refusé",
        "en": "parameter {name}: control character {char} refused",
    },
}

Place = Sequence[str | Wording]


class ItemsProblem(FileProblem):
    """A parameter's list of items that cannot be used."""

    texts = TEXTS


class TemplateError(FileProblem):
    """A template file that cannot be used: `text(locale)` names the file, the place in it and
    the problem, and the layout checked when the problem is in a layout."""

    texts = TEXTS

    def __init__(
        self,
        key: str,
        source: str | Wording,
        place: Place = (),
        case: Wording | None = None,
        **params: Any,
    ) -> None:
        self.source = source
        self.place = tuple(place)
        self.case = case
        super().__init__(key, **params)

    def text(self, locale: str) -> str:
        colon = ": " if locale == "en" else " : "
        parts = [_pick(self.source, locale)]
        if self.place:
            parts.append(" ".join(_pick(part, locale) for part in self.place))
        parts.append(super().text(locale))
        text = colon.join(parts)
        return f"{text} ({self.case.pick(locale)})" if self.case else text


def _pick(value: str | Wording, locale: str) -> str:
    return value.pick(locale) if isinstance(value, Wording) else value
