"""Every export format, by its name in `GET /api/boards/{id}/export/{format}` (docs/exports.md)."""

from __future__ import annotations

from server.boards.export import csv_export, json_format, markdown, pdf, png, yeswiki
from server.boards.export.model import ExportFormat

FORMATS: dict[str, ExportFormat] = {
    export_format.name: export_format
    for export_format in (
        yeswiki.FORMAT,
        markdown.FORMAT,
        csv_export.FORMAT,
        json_format.FORMAT,
        pdf.FORMAT,
        png.FORMAT,
    )
}
