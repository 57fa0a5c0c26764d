"""TemplateStore: the shipped templates plus those facilitators saved or imported (database)."""

from __future__ import annotations

import dataclasses
import logging
import re
import secrets
import unicodedata

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from server.boards.file_problems import Wording
from server.boards.records import utc_now
from server.boards.templates.format import Template
from server.boards.templates.library import read_template
from server.boards.templates.problems import TemplateError
from server.storage.tables import custom_templates

log = logging.getLogger(__name__)

# No 0/o, 1/l/i: an id may be read aloud or copied from a projector.
_SUFFIX_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_SUFFIX_LENGTH = 6
_SLUG_CHARS = 40


def new_template_id(name: str) -> str:
    """A readable slug of the name and a random suffix: two imports of one file stay apart."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:_SLUG_CHARS].strip("-")
    suffix = "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(_SUFFIX_LENGTH))
    return f"{slug or 'modele'}-{suffix}"


class TemplateStore:
    """Custom templates are never changed once stored, so a parsed one is kept in memory."""

    def __init__(self, engine: AsyncEngine, shipped: dict[str, Template]) -> None:
        self._engine = engine
        self._shipped = shipped
        self._parsed: dict[str, Template] = {}

    def new_id(self, name: str) -> str:
        while True:
            template_id = new_template_id(name)
            if template_id not in self._shipped:
                return template_id

    async def add(
        self, source: str, origin: str | Wording, template_id: str | None = None
    ) -> Template:
        """Check a template file like a shipped one and store it under a fresh id.

        The file's own id is ignored (TemplateError if the file is not a valid template).
        """
        template = read_template(source, origin, template_id or "pending")
        if template_id is None:
            template_id = self.new_id(template.name["fr"])
        template = dataclasses.replace(template, id=template_id, custom=True)
        async with self._engine.begin() as conn:
            await conn.execute(
                insert(custom_templates).values(id=template_id, source=source, created_at=utc_now())
            )
        self._parsed[template_id] = template
        return template

    async def find(self, template_id: str) -> Template | None:
        """A shipped template, or a custom one (None if unknown or no longer readable)."""
        if template_id in self._shipped:
            return self._shipped[template_id]
        if template_id in self._parsed:
            return self._parsed[template_id]
        async with self._engine.connect() as conn:
            query = select(custom_templates.c.source).where(custom_templates.c.id == template_id)
            source = (await conn.execute(query)).scalar_one_or_none()
        return None if source is None else self._parse(template_id, source)

    async def list_all(self) -> list[Template]:
        """Shipped templates in gallery order, then custom ones, oldest first."""
        async with self._engine.connect() as conn:
            query = select(custom_templates.c.id, custom_templates.c.source).order_by(
                custom_templates.c.created_at, custom_templates.c.id
            )
            rows = (await conn.execute(query)).all()
        custom = [self._parsed.get(row.id) or self._parse(row.id, row.source) for row in rows]
        return [*self._shipped.values(), *(t for t in custom if t is not None)]

    def _parse(self, template_id: str, source: str) -> Template | None:
        try:
            template = read_template(source, f"custom template {template_id!r}", template_id)
        except TemplateError as exc:
            # Stored under older rules: one unreadable template must not hide the gallery.
            log.warning("skipping a stored template: %s", exc)
            return None
        template = dataclasses.replace(template, custom=True)
        self._parsed[template_id] = template
        return template
