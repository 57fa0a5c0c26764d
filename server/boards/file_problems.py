"""FileProblem: what is wrong with an imported file, in the language of the one who imports it.

Why: a facilitator importing a spreadsheet of ideas or restoring a saved board reads the reason
in a toast ("Détail : ..."); a French team must not get it in English. Each problem is written
here in French and English, and the HTTP layer picks the request's language
(`server.http.inputs.locale`: `?locale=`, else Accept-Language, else French).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from server.boards.palette import FRENCH_NAMES, PALETTE

# key -> {locale: text}; the texts of a key take the same {placeholders} (tests check it).
TEXTS: dict[str, dict[str, str]] = {
    "csv.unreadable": {
        "fr": "le fichier n\u2019est pas lisible comme un CSV : {reason}",
        "en": "the file is not readable as CSV: {reason}",
    },
    "csv.cellTooLong": {
        "fr": "ligne {line} : une cellule dépasse {max} caractères",
        "en": "line {line}: a cell is over {max} characters",
    },
    "csv.empty": {"fr": "le fichier est vide", "en": "the file is empty"},
    "csv.noTextColumn": {
        "fr": "la première ligne doit nommer les colonnes, dont une appelée « texte » "
        "(ou « text ») ; trouvé : {found}",
        "en": "the first line must name the columns, with at least one called 'texte' "
        "(or 'text'); found: {found}",
    },
    "csv.tooLong": {
        "fr": "ligne {line} : le texte dépasse {max} caractères",
        "en": "line {line}: the text is over {max} characters",
    },
    "csv.unknownColour": {
        "fr": "ligne {line} : couleur inconnue {colour} (" + ", ".join(FRENCH_NAMES) + ", ou en "
        "anglais)",
        "en": "line {line}: unknown colour {colour} (" + ", ".join(PALETTE) + ", or in French)",
    },
    "csv.noText": {
        "fr": "aucune ligne du fichier n\u2019a de texte",
        "en": "the file has no line with a text",
    },
    "csv.noRoom": {
        "fr": (
            "le fichier a {count} post-it, mais le tableau n\u2019a plus de place que pour {room}"
        ),
        "en": "the file has {count} notes but the board has room for {room} more",
    },
    "board.notJson": {
        "fr": "le contenu doit être un fichier de tableau en JSON",
        "en": "the body must be a JSON board file",
    },
    "board.tooDeep": {
        "fr": "le fichier de tableau imbrique ses objets ou ses listes trop profondément",
        "en": "the board file nests its objects or arrays too deeply",
    },
    "board.tooBig": {
        "fr": "le fichier de tableau est trop gros pour ce serveur",
        "en": "the board file is too big for this server",
    },
    "board.notObject": {"fr": "{where} : doit être un objet", "en": "{where}: must be an object"},
    "board.notString": {"fr": "{where} : doit être un texte", "en": "{where}: must be a string"},
    "board.tooLong": {
        "fr": "{where} : dépasse {limit} caractères",
        "en": "{where}: is over {limit} characters",
    },
    "board.notBool": {
        "fr": "{where} : doit valoir true ou false",
        "en": "{where}: must be true or false",
    },
    "board.notNumber": {"fr": "{where} : doit être un nombre", "en": "{where}: must be a number"},
    "board.badId": {
        "fr": "{where} : doit avoir de 1 à 64 lettres, chiffres, « _ » ou « - »",
        "en": "{where}: must be 1 to 64 letters, digits, '_' or '-'",
    },
    "board.idTwice": {
        "fr": "{where} : {value} est utilisé deux fois",
        "en": "{where}: {value} is used twice",
    },
    "board.badRect": {
        "fr": "{where} : doit être [x, y, largeur, hauteur] en nombres finis",
        "en": "{where}: must be [x, y, width, height] with finite numbers",
    },
    "board.badVoting": {
        "fr": "{where} : doit valoir 'off', 'open' ou 'closed'",
        "en": "{where}: must be 'off', 'open' or 'closed'",
    },
    "board.tooManyZones": {
        "fr": "{where} : doit être une liste d\u2019au plus {max} zones",
        "en": "{where}: must be a list of at most {max} zones",
    },
    "board.tooManyNotes": {
        "fr": "{where} : doit être une liste d\u2019au plus {max} post-it",
        "en": "{where}: must be a list of at most {max} notes",
    },
    "board.badReactions": {
        "fr": "{where} : doit associer à chaque émoji ({emoji}) des identifiants ou un nombre",
        "en": "{where}: must map each emoji ({emoji}) to a list of ids or a count",
    },
    "board.tooManyComments": {
        "fr": "{where} : doit être une liste d\u2019au plus {max} commentaires",
        "en": "{where}: must be a list of at most {max} comments",
    },
    "board.emptyComment": {
        "fr": "{where} : un commentaire ne peut être vide",
        "en": "{where}: a comment cannot be empty",
    },
    "board.tooManyGroups": {
        "fr": "{where} : doit être une liste d'au plus {max} thèmes",
        "en": "{where}: must be a list of at most {max} themes",
    },
    "board.unknownGroup": {
        "fr": "{where} : doit être l'identifiant d'un thème de board.groups",
        "en": "{where}: must be the id of a theme in board.groups",
    },
    "board.notArdoise": {
        "fr": "{where} : doit valoir {format} : ce n\u2019est pas un fichier de tableau Ardoise",
        "en": "{where}: must be {format}: this is not an Ardoise board file",
    },
    "board.badVersion": {
        "fr": "{where} : la version {version} n\u2019est pas prise en charge (ce serveur lit la 1)",
        "en": "{where}: {version} is not supported (this server reads 1)",
    },
    "board.emptyTitle": {
        "fr": "{where} : ne doit pas être vide",
        "en": "{where}: must not be empty",
    },
    "board.badImageId": {
        "fr": "{where} : doit être l\u2019identifiant d\u2019une image (22 lettres, chiffres, "
        "« _ » ou « - »)",
        "en": "{where}: must be an image id (22 letters, digits, '_' or '-')",
    },
    "board.badImage": {
        "fr": "{where} : n\u2019est pas une image lisible (JPEG, PNG, WebP ou GIF en base64)",
        "en": "{where}: is not a readable image (JPEG, PNG, WebP or GIF in base64)",
    },
    "board.imagesTooBig": {
        "fr": "les images du fichier dépassent {max} octets, ce que ce serveur garde par tableau",
        "en": "the file's images are over {max} bytes, what this server keeps per board",
    },
    "board.badLocale": {
        "fr": "{where} : doit valoir 'fr' ou 'en'",
        "en": "{where}: must be 'fr' or 'en'",
    },
}


@dataclass(frozen=True, slots=True)
class Wording:
    """A blank's value written in each language (a place in a file, where the file came from)."""

    fr: str
    en: str

    def pick(self, locale: str) -> str:
        return self.en if locale == "en" else self.fr

    @classmethod
    def of(cls, problem: FileProblem) -> Wording:
        """Another problem's reason, as a blank of this one."""
        return cls(problem.text("fr"), problem.text("en"))


class FileProblem(ValueError):
    """An imported file that cannot be used; `text(locale)` says why. Its `str` is English,
    for logs and tests. Subclasses bring their own `texts`."""

    texts: ClassVar[Mapping[str, Mapping[str, str]]] = TEXTS

    def __init__(self, key: str, **params: Any) -> None:
        if key not in self.texts:
            raise KeyError(f"no text for file problem {key!r}")
        self.key = key
        self.params = params
        super().__init__(self.text("en"))

    def text(self, locale: str) -> str:
        """In `locale`, else in French."""
        texts = self.texts[self.key]
        values = {
            name: value.pick(locale) if isinstance(value, Wording) else value
            for name, value in self.params.items()
        }
        return texts.get(locale, texts["fr"]).format(**values)
