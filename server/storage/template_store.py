"""TemplateStore: the shipped templates plus those facilitators saved or imported (database).

A custom template belongs to whoever holds the key handed out when it was made (only its digest
is stored): the gallery lists a custom template to its owner only, and only the owner (or the
server's admin) renames or deletes it (docs/templates.md, Ownership).
"""

from __future__ import annotations

import dataclasses
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from server.boards.file_problems import Wording
from server.boards.records import utc_now
from server.boards.templates.format import LOCALES, Template
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


@dataclass(frozen=True, slots=True)
class CustomTemplate:
    """A stored template and the digest of its owner's key (None: made before owners existed)."""

    template: Template
    owner_sha256: str | None


class TemplateStore:
    """A custom template's file never changes once stored, so a parsed one is kept in memory;
    its name and description may (a rename), and are read from the database each time, so that
    every process sharing it shows the same."""

    def __init__(self, engine: AsyncEngine, shipped: dict[str, Template]) -> None:
        self._engine = engine
        self._shipped = shipped
        self._parsed: dict[str, Template] = {}

    def new_id(self, name: str) -> str:
        while True:
            template_id = new_template_id(name)
            if template_id not in self._shipped:
                return template_id

    def is_shipped(self, template_id: str) -> bool:
        return template_id in self._shipped

    async def add(
        self,
        source: str,
        origin: str | Wording,
        template_id: str | None = None,
        owner_sha256: str | None = None,
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
                insert(custom_templates).values(
                    id=template_id, source=source, created_at=utc_now(), owner_sha256=owner_sha256
                )
            )
        self._parsed[template_id] = template
        return template

    async def find(self, template_id: str) -> Template | None:
        """A shipped template, or a custom one (None if unknown or no longer readable)."""
        if template_id in self._shipped:
            return self._shipped[template_id]
        custom = await self.find_custom(template_id)
        return None if custom is None else custom.template

    async def find_custom(self, template_id: str) -> CustomTemplate | None:
        async with self._engine.connect() as conn:
            query = select(*_COLUMNS).where(custom_templates.c.id == template_id)
            row = (await conn.execute(query)).one_or_none()
        return None if row is None else self._custom(row)

    async def list_all(self, owners: frozenset[str] | None) -> list[CustomTemplate | Template]:
        """Shipped templates in gallery order, then the custom ones of `owners` (digests of
        their keys; None: every custom one, for the admin), oldest first. Templates saved before
        keys existed have no owner and stay in everyone's gallery, as they were: nothing a team
        saved disappears with an upgrade."""
        query = select(*_COLUMNS).order_by(custom_templates.c.created_at, custom_templates.c.id)
        if owners is not None:
            owner = custom_templates.c.owner_sha256
            query = query.where(owner.is_(None) | owner.in_(sorted(owners)))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        custom = [self._custom(row) for row in rows]
        return [*self._shipped.values(), *(c for c in custom if c is not None)]

    async def rename(self, template_id: str, name: str, description: str | None) -> None:
        """Show the custom template under this name (and description, when given)."""
        values: dict[str, str] = {"name": name}
        if description is not None:
            values["description"] = description
        async with self._engine.begin() as conn:
            await conn.execute(
                update(custom_templates).where(custom_templates.c.id == template_id).values(values)
            )

    async def delete(self, template_id: str) -> None:
        """Boards made from it keep their zones (a board holds a copy of its layout)."""
        async with self._engine.begin() as conn:
            await conn.execute(delete(custom_templates).where(custom_templates.c.id == template_id))
        self._parsed.pop(template_id, None)

    def _custom(self, row: Row[Any, Any, Any, Any, Any]) -> CustomTemplate | None:
        template = self._parsed.get(row.id) or self._parse(row.id, row.source)
        if template is None:
            return None
        if row.name is not None:
            template = dataclasses.replace(template, name=dict.fromkeys(LOCALES, row.name))
        if row.description is not None:
            description = dict.fromkeys(LOCALES, row.description)
            template = dataclasses.replace(template, description=description)
        return CustomTemplate(template, row.owner_sha256)

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


_COLUMNS = (
    custom_templates.c.id,
    custom_templates.c.source,
    custom_templates.c.owner_sha256,
    custom_templates.c.name,
    custom_templates.c.description,
)
