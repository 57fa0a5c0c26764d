"""A local YesWiki Bazar for the tests: its API as Ardoise uses it, storing as the real one does.

What it answers was seen on a real YesWiki 4.4.4 (docs/exports.md, "Tried on a real YesWiki"):
`GET ?api/forms/{id}` (404 for an unknown form), `GET ?api/pages/{tag}`, `GET
?api/entries/json/{tag}`, `GET ?api/entries/html/{tag}` (roughly: see `_shown`), and `POST
?api/entries/{formId}` with a Bearer key, which creates an entry, or overwrites the page named by
`id_fiche` whoever owns it. A key counts only if the wiki user it is filed under exists. A form's
fields are stored as the real Bazar stores them: through the real HTMLPurifier library with
YesWiki's settings, by `bazar_storage.php` (`stored_texts`); an unknown form's entry is stored
raw, as the real wiki does.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

FORM_ID = "7"
_STORAGE_SCRIPT = Path(__file__).with_name("bazar_storage.php")


def stored_texts(fields: list[tuple[str, str]]) -> list[str]:
    """What a Bazar stores of each `(kind, text)`: kind "wiki" is a long text in wiki syntax
    (tools/bazar/fields/TextareaField.php), "text" a short one (TextField.php)."""
    try:
        done = subprocess.run(
            ["php", str(_STORAGE_SCRIPT)],
            input=json.dumps(fields),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except FileNotFoundError as exc:
        raise RuntimeError(
            "the test wiki needs PHP and HTMLPurifier: apt-get install php-cli php-xml "
            "php-htmlpurifier (scripts/system-packages.sh)"
        ) from exc
    if done.returncode != 0:
        raise RuntimeError(f"bazar_storage.php failed: {done.stderr.strip()}")
    result = json.loads(done.stdout)
    assert isinstance(result, list) and len(result) == len(fields)
    return [str(text) for text in result]


def _field_row(kind: str, name: str, label: str, syntax: str = "") -> list[str]:
    """One line of a Bazar form's template (tools/bazar/fields: 0 type, 1 name, 7 syntax)."""
    row = [kind, name, label, "80", "255", "", "", syntax, "1", "", "", "*", "*", "", "", "", ""]
    return row


def ardoise_form(text_field: str = "bf_description", syntax: str = "wiki") -> list[list[str]]:
    """The form docs/exports.md asks a wiki's administrator to make."""
    return [
        _field_row("texte", "bf_titre", "Titre", "text"),
        _field_row("textelong", text_field, "Tableau", syntax),
    ]


def wiki_name(title: str) -> str:
    """The name a Bazar gives an entry from its title when none is sent: punctuation as
    spaces, at most 47 characters, no accents, each word capitalised, letters and digits only,
    the last letter capitalised if that leaves fewer than two capitals
    (tools/bazar/libs/bazar.fonct.php, genere_nom_wiki)."""
    spaced = re.sub(r"[^\w\s]|_", " ", title)[:47]
    plain = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9]", "", plain.lower().title())
    if sum(ch.isupper() for ch in name) < 2 and name:
        name = name[:-1] + name[-1].upper()
    return name


@dataclass
class Page:
    tag: str
    owner: str
    entry: dict[str, str] | None  # a Bazar entry's stored fields; None for a plain page
    revisions: int = 1


@dataclass
class Request:
    method: str
    path: str
    auth: str | None
    type: str | None
    fields: dict[str, str] = field(default_factory=dict)


class BazarStandIn:
    """`key` is filed under the wiki user `user`. `mode`: "ok"; "slow", "error" or "garbage"
    for every POST; "moved" (to https) for every request."""

    def __init__(self, key: str, user: str = "ArdoiseBot") -> None:
        self.keys = {user: key}
        self.users = {user, "WikiAdmin"}
        self.forms: dict[str, list[list[str]]] = {FORM_ID: ardoise_form()}
        self.pages: dict[str, Page] = {
            "pageprincipale": Page("PagePrincipale", "WikiAdmin", None),
        }
        self.mode = "ok"
        # False: the entry's HTML comes back escaped, as a YesWiki shows raw blocks without it.
        self.allow_raw_html = True
        self.received: list[Request] = []
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                stand_in._record(self, "")
                stand_in._get(self)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length).decode()
                stand_in._record(self, body)
                stand_in._post(self, body)

            def log_message(self, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def entry(self, tag: str) -> dict[str, str] | None:
        page = self.pages.get(tag.lower())
        return page.entry if page else None

    def posts(self) -> list[Request]:
        return [r for r in self.received if r.method == "POST"]

    # ---- the wiki's side ---------------------------------------------------------------------

    def _record(self, handler: BaseHTTPRequestHandler, body: str) -> None:
        self.received.append(
            Request(
                method=handler.command,
                path=handler.path,
                auth=handler.headers.get("authorization"),
                type=handler.headers.get("content-type"),
                fields={k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()},
            )
        )

    def _user(self, handler: BaseHTTPRequestHandler) -> str | None:
        """The wiki user a Bearer key logs in (includes/services/ApiService.php): the key
        must be filed under the name of a user that exists."""
        found = re.fullmatch(r"Bearer\s(\S+)", handler.headers.get("authorization") or "")
        if not found:
            return None
        for user, key in self.keys.items():
            if key == found.group(1) and user in self.users:
                return user
        return None

    def _route(self, handler: BaseHTTPRequestHandler) -> tuple[str, list[str]] | None:
        if self.mode == "moved":
            _answer(handler, 301, None, {"Location": f"https://127.0.0.1:{self.port}/"})
            return None
        if handler.path.startswith("/index.php"):
            _answer(handler, 302, None, {"Location": f"{self.url}/?PagePrincipale"})
            return None
        found = re.fullmatch(r"/\?api/([a-z]+)((?:/[^/&]*)*)(?:&.*)?", handler.path)
        if not found:
            _answer(handler, 404, None)
            return None
        return found.group(1), [unquote(p) for p in found.group(2).split("/")[1:]]

    def _get(self, handler: BaseHTTPRequestHandler) -> None:
        route = self._route(handler)
        if route is None:
            return
        kind, parts = route
        with self.lock:
            if kind == "forms" and len(parts) == 1:
                form = self.forms.get(parts[0])
                if form is None:
                    _answer(handler, 404, None)
                else:
                    _answer(handler, 200, _form_json(parts[0], form))
            elif kind == "pages" and len(parts) == 1:
                page = self.pages.get(parts[0].lower())
                if page is None:
                    _answer(handler, 404, {})
                else:
                    _answer(handler, 200, {"tag": page.tag, "owner": page.owner})
            elif kind == "entries" and len(parts) == 2 and parts[0] == "json":
                page = self.pages.get(parts[1].lower())
                if page is None or page.entry is None:
                    _answer(handler, 200, {})
                else:
                    _answer(handler, 200, {page.tag: page.entry})
            elif kind == "entries" and len(parts) == 2 and parts[0] == "html":
                page = self.pages.get(parts[1].lower())
                if page is None or page.entry is None:
                    _answer(handler, 200, {})
                else:
                    _answer(handler, 200, {page.tag: {"html_output": self._shown(page.entry)}})
            else:
                _answer(handler, 404, None)

    def _post(self, handler: BaseHTTPRequestHandler, body: str) -> None:
        route = self._route(handler)
        if route is None:
            return
        kind, parts = route
        user = self._user(handler)
        if user is None:
            _answer(handler, 401, None)
            return
        if kind != "entries" or len(parts) != 1:
            _answer(handler, 404, None)
            return
        if self.mode == "slow":
            time.sleep(2)
        if self.mode == "error":
            _answer(handler, 500, {"exceptionMessage": "boom"})
            return
        fields = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
        with self.lock:
            tag = self._store(parts[0], fields, user)
        if tag is None:
            _answer(handler, 500, {"exceptionMessage": "Exception: la fiche n'a pas de titre"})
        elif self.mode == "garbage":
            _answer(handler, 201, {"nothing": True})
        else:
            _answer(handler, 201, {"success": f"{self.url}/?{tag}"})

    def _store(self, form_id: str, fields: dict[str, str], user: str) -> str | None:
        """Like EntryManager::create: the URL's form id wins; `id_fiche` is taken as given and
        overwrites any page of that name; each field of the form is stored as the form's
        field stores it (an unknown form stores everything raw)."""
        title = fields.get("bf_titre", "")
        tag = fields.get("id_fiche") or self._free_name(wiki_name(title))
        if not title or not tag:
            return None
        stored = dict(fields)
        form = self.forms.get(form_id, [])
        kinds = []
        for row in form:
            if row[1] in fields and row[0] == "textelong" and row[7] in ("wiki", "wiki-textarea"):
                kinds.append((row[1], "wiki"))
            elif row[1] in fields and row[0] == "texte":
                kinds.append((row[1], "text"))
        texts = stored_texts([(kind, fields[name]) for name, kind in kinds]) if kinds else []
        for (name, _), text in zip(kinds, texts, strict=True):
            stored[name] = text
        stored.update({"id_typeannonce": form_id, "id_fiche": tag, "user": user})
        page = self.pages.get(tag.lower())
        if page is None:
            self.pages[tag.lower()] = Page(tag, user, {**stored, "owner": user})
        else:
            page.entry = {**stored, "owner": page.owner}
            page.revisions += 1
        return tag

    def _shown(self, entry: dict[str, str]) -> str:
        """Not YesWiki's formatter: the stored page as its raw blocks show it (as it is, or
        escaped when `allow_raw_html` is off), inside the field's element."""
        text = "".join(
            block if self.allow_raw_html else html.escape(block)
            for block in re.findall(r'""(.*?)""', entry.get("bf_description", ""), re.DOTALL)
        )
        return f'<span class="BAZ_texte">{text}</span>'

    def _free_name(self, name: str) -> str:
        """`Name`, `Name2`, `Name3`… (the real wiki replaces the last characters by the number
        from the third on: Ardoise always sends a name of its own, so no test relies on it)."""
        if not name or name.lower() not in self.pages:
            return name
        number = 2
        while f"{name}{number}".lower() in self.pages:
            number += 1
        return f"{name}{number}"


def _form_json(form_id: str, template: list[list[str]]) -> dict[str, Any]:
    prepared = [
        {"id": row[1], "propertyname": row[1], "label": row[2], "type": row[0]} for row in template
    ]
    return {
        "bn_id_nature": form_id,
        "bn_label_nature": "Ateliers Ardoise",
        "template": template,
        "prepared": prepared,
    }


def _answer(
    handler: BaseHTTPRequestHandler,
    status: int,
    data: Any,
    headers: dict[str, str] | None = None,
) -> None:
    """An empty body for `None`, as the real wiki answers a refused key or an unknown form."""
    raw = b"" if data is None else json.dumps(data).encode()
    handler.send_response(status)
    handler.send_header("content-type", "application/json")
    handler.send_header("content-length", str(len(raw)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(raw)
