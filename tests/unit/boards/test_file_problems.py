"""Every reason an import (of ideas, a board, a template) is refused exists in French and English,
with the same blanks."""

from __future__ import annotations

from string import Formatter

import pytest

from server.boards.export.csv_import import CsvFileError, notes_from_rows, parse
from server.boards.file_problems import TEXTS, FileProblem
from server.boards.templates import problems as template_problems

ALL_TEXTS = {**TEXTS, **template_problems.TEXTS}


def _blanks(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def test_no_key_is_both_a_file_problem_and_a_template_problem() -> None:
    assert not set(TEXTS) & set(template_problems.TEXTS)


@pytest.mark.parametrize("key", sorted(ALL_TEXTS))
def test_each_problem_is_written_in_both_languages_with_the_same_blanks(key: str) -> None:
    texts = ALL_TEXTS[key]
    assert set(texts) == {"fr", "en"}
    assert _blanks(texts["fr"]) == _blanks(texts["en"])


def test_french_is_the_default_and_english_the_str() -> None:
    problem = FileProblem("csv.tooLong", line=3, max=500)
    assert problem.text("fr") == "ligne 3 : le texte dépasse 500 caractères"
    assert problem.text("de") == problem.text("fr")
    assert str(problem) == problem.text("en") == "line 3: the text is over 500 characters"


def test_an_unknown_problem_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match="no text for file problem"):
        FileProblem("csv.nope")


def test_a_csv_file_names_the_line_in_either_language() -> None:
    rows = parse("texte;couleur\r\nune idée;jaune\r\nune autre;fuchsia\r\n".encode())
    with pytest.raises(CsvFileError) as refused:
        notes_from_rows(rows, (), 500, 10)
    assert refused.value.text("fr").startswith("ligne 3 : couleur inconnue 'fuchsia' (jaune,")
    assert refused.value.text("en").startswith("line 3: unknown colour 'fuchsia' (yellow,")


def test_an_over_long_cell_is_named_by_its_line_in_either_language() -> None:
    data = ("texte;auteur\nune idée;Camille\nune autre;" + "x" * 200_000 + "\n").encode()
    with pytest.raises(CsvFileError) as refused:
        parse(data)
    assert refused.value.text("fr") == "ligne 3 : une cellule dépasse 131072 caractères"
    assert refused.value.text("en") == "line 3: a cell is over 131072 characters"
