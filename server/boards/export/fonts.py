"""The font of the PDF and PNG exports: DejaVu Sans when installed, else reportlab's Vera."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import reportlab

# Debian's fonts-dejavu-core (regular, bold) with fonts-dejavu-extra (oblique, for the
# italic lines); it covers far more scripts than Vera (Greek, Cyrillic, symbols).
_DEJAVU_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
)
# Bitstream Vera ships inside the reportlab wheel: every French character is in it.
_VERA_DIR = Path(reportlab.__file__).resolve().parent / "fonts"


@dataclass(frozen=True, slots=True)
class FontFiles:
    name: str
    regular: Path
    bold: Path
    italic: Path


@cache
def font_files() -> FontFiles:
    for folder in _DEJAVU_DIRS:
        files = [folder / f for f in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")]
        oblique = folder / "DejaVuSans-Oblique.ttf"
        if all(f.is_file() for f in files) and oblique.is_file():
            return FontFiles("DejaVuSans", files[0], files[1], oblique)
    return FontFiles(
        "Vera", _VERA_DIR / "Vera.ttf", _VERA_DIR / "VeraBd.ttf", _VERA_DIR / "VeraIt.ttf"
    )
