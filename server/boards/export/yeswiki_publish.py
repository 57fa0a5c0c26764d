"""Publishing a board to a YesWiki as a Bazar form entry, under a name that stays the board's.

The wiki's API (seen on YesWiki 4.4, docs/exports.md): `GET ?api/forms/{id}` answers 404 for
an unknown form (a POST to it would make an orphan entry and answer 201); `POST
?api/entries/{id}` with `id_fiche=<name>` writes that page, as a new revision if it exists,
whoever owns it. So the form is checked first, and a name is only ever sent when it is free or
is already an entry of this form carrying this board's mark (`board_mark`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

log = logging.getLogger(__name__)

# A wiki page name (yeswiki_pages.tag holds 50 characters): room is left for a number.
_NAME_LENGTH = 40
_NAME_TRIES = 20
_WIKI_SYNTAX = ("wiki", "wiki-textarea")
# Where a board's wiki name would start with no word of its title to use.
_NAME_PREFIX = "Ardoise"


@dataclass(frozen=True, slots=True)
class WikiTarget:
    """Where and how to publish, from the server's settings."""

    url: str
    form_id: str
    # The key must never reach a log or an error page.
    api_key: str = field(repr=False)
    text_field: str = "bf_description"
    timeout_s: float = 20.0


@dataclass(frozen=True, slots=True)
class Publication:
    """One board's entry: its title (plain text), its page (the YesWiki markup, carrying
    `mark`), and the name it would like on the wiki."""

    title: str
    body: str
    name: str
    mark: str


class PublishError(Exception):
    """The wiki did not create the entry (or we cannot know); `reason` is a key of MESSAGES,
    `details` fills its blanks."""

    def __init__(self, reason: str, status: int | None = None, **details: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.details = details


MESSAGES: dict[str, dict[str, str]] = {
    "fr": {
        "key": (
            "le wiki refuse la clé d\u2019API : dans wakka.config.php, elle doit figurer dans "
            "api_allowed_keys sous le nom d\u2019un utilisateur du wiki qui existe "
            "('NomUtilisateur' => 'la-clé')"
        ),
        "form_missing": (
            "le wiki n\u2019a pas de formulaire Bazar n° {form} : vérifiez ARDOISE_YESWIKI_FORM_ID "
            "(rien n\u2019a été publié)"
        ),
        "form_fields": (
            "le formulaire Bazar n° {form} du wiki n\u2019a pas les champs attendus : un champ "
            "titre bf_titre et un champ texte long {field} en syntaxe wiki "
            "(rien n\u2019a été publié)"
        ),
        "not_wiki": (
            "cette adresse ne répond pas comme un YesWiki : vérifiez ARDOISE_YESWIKI_URL "
            "(rien n\u2019a été publié)"
        ),
        "names_taken": (
            "les noms de fiche {name} à {name}{last} sont déjà pris sur le wiki par d\u2019autres "
            "pages : renommez le tableau (rien n\u2019a été publié)"
        ),
        "not_found": "le wiki ne connaît pas cette adresse d\u2019API (rien n\u2019a été publié)",
        "refused": "le wiki a refusé la fiche (vérifiez les champs du formulaire Bazar)",
        "wiki_error": "le wiki a rencontré une erreur ; réessayez plus tard",
        "unreachable": "le wiki est injoignable ; rien n\u2019a été publié",
        "slow": "le wiki n\u2019a pas répondu à temps ; rien n\u2019a été publié",
        "timeout": (
            "le wiki n\u2019a pas répondu à temps ; la fiche a peut-être été créée : "
            "vérifiez sur le wiki avant de republier"
        ),
        "unexpected": (
            "réponse inattendue du wiki ; la fiche a peut-être été créée : "
            "vérifiez sur le wiki avant de republier"
        ),
        "redirect": (
            "le wiki renvoie vers une autre adresse ({location}) : mettez dans "
            "ARDOISE_YESWIKI_URL l\u2019adresse exacte du wiki, http ou https, sans /index.php "
            "(rien n\u2019a été publié)"
        ),
    },
    "en": {
        "key": (
            "the wiki refuses the API key: in wakka.config.php it must be in api_allowed_keys "
            "under the name of a wiki user that exists ('UserName' => 'the-key')"
        ),
        "form_missing": (
            "the wiki has no Bazar form number {form}: check ARDOISE_YESWIKI_FORM_ID "
            "(nothing was published)"
        ),
        "form_fields": (
            "the wiki\u2019s Bazar form number {form} lacks the expected fields: a title field "
            "bf_titre and a long-text field {field} in wiki syntax (nothing was published)"
        ),
        "not_wiki": (
            "this address does not answer as a YesWiki: check ARDOISE_YESWIKI_URL "
            "(nothing was published)"
        ),
        "names_taken": (
            "the entry names {name} to {name}{last} are all taken on the wiki by other "
            "pages: rename the board (nothing was published)"
        ),
        "not_found": "the wiki does not know this API address (nothing was published)",
        "refused": "the wiki refused the entry (check the Bazar form\u2019s fields)",
        "wiki_error": "the wiki failed; try again later",
        "unreachable": "the wiki cannot be reached; nothing was published",
        "slow": "the wiki did not answer in time; nothing was published",
        "timeout": (
            "the wiki did not answer in time; the entry may have been created: "
            "check the wiki before publishing again"
        ),
        "unexpected": (
            "unexpected answer from the wiki; the entry may have been created: "
            "check the wiki before publishing again"
        ),
        "redirect": (
            "the wiki redirects to another address ({location}): set ARDOISE_YESWIKI_URL to "
            "the wiki\u2019s exact address, http or https, without /index.php "
            "(nothing was published)"
        ),
    },
}


# Failures after which the request may have reached the wiki and created the entry.
MAY_EXIST = frozenset({"timeout", "unexpected"})

# What a published entry may still lack, said with its link.
WARNINGS: dict[str, dict[str, str]] = {
    "fr": {
        "raw_html_off": (
            "la fiche est publiée, mais le wiki affiche sa mise en page comme du texte : son "
            "administrateur doit remettre 'allow_raw_html' => true dans wakka.config.php "
            "(le réglage par défaut de YesWiki), puis republier"
        ),
    },
    "en": {
        "raw_html_off": (
            "the entry is published, but the wiki shows its layout as text: its administrator "
            "must set 'allow_raw_html' => true back in wakka.config.php (YesWiki\u2019s default), "
            "then publish again"
        ),
    },
}


def message(reason: str, locale: str, details: dict[str, str] | None = None) -> str:
    text = MESSAGES.get(locale, MESSAGES["fr"])[reason]
    return text.format(**details) if details else text


def warning(reason: str, locale: str) -> str:
    return WARNINGS.get(locale, WARNINGS["fr"])[reason]


@dataclass(frozen=True, slots=True)
class Published:
    """The entry's link, and what the wiki was seen to lack (a key of WARNINGS), if anything."""

    url: str
    warning: str | None = None


def api_url(wiki_url: str, route: str) -> str:
    """`https://wiki.example.org` and `forms/3` -> `https://wiki.example.org/?api/forms/3`."""
    return f"{wiki_url.strip().rstrip('?').rstrip('/')}/?api/{route}"


def board_mark(board_id: str) -> str:
    """The class a board's published page carries, by which its entry is known as its own on
    the next publication (the board's id itself stays off the wiki)."""
    return "ardoise-tableau-" + hashlib.sha256(board_id.encode()).hexdigest()[:20]


def entry_name(title: str) -> str:
    """A readable wiki name for a board: `Atelier « Mobilités » 2024` -> `AtelierMobilites2024`.

    ASCII letters and digits only (the wiki takes the name as given, into its database and
    its links), each word starting with a capital, at most 40 characters; a name that would not
    start as a wiki name does (`[A-Z][a-z]+[A-Z0-9]`) gets `Ardoise` in front.
    """
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", plain)
    name = "".join(w[:1].upper() + w[1:] for w in words)[:_NAME_LENGTH]
    if not re.match(r"[A-Z][a-z]+[A-Z0-9]", name):
        name = (_NAME_PREFIX + (name or "Tableau"))[:_NAME_LENGTH]
    return name


def _is_web_url(value: object) -> bool:
    if not isinstance(value, str) or len(value) > 2000:
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _refusal(response: httpx.Response) -> PublishError:
    status = response.status_code
    if status in (401, 403):
        return PublishError("key", status)
    if status == 404:
        return PublishError("not_found", status)
    if 300 <= status < 400:
        location = response.headers.get("location", "")[:200] or "?"
        return PublishError("redirect", status, location=location)
    if 400 <= status < 500:
        return PublishError("refused", status)
    return PublishError("wiki_error", status)


class _Wiki:
    """The requests of one publication, on one connection pool."""

    def __init__(self, client: httpx.AsyncClient, target: WikiTarget) -> None:
        self.client = client
        self.target = target
        self.headers = {
            "Authorization": f"Bearer {target.api_key}",
            "Accept": "application/json",
        }

    async def get(self, route: str) -> httpx.Response:
        """A read: nothing is written yet, so a failure here publishes nothing."""
        try:
            return await self.client.get(api_url(self.target.url, route), headers=self.headers)
        except httpx.TimeoutException as exc:
            raise PublishError("slow") from exc
        except httpx.HTTPError as exc:
            log.warning("reading from %s failed: %s", self.target.url, type(exc).__name__)
            raise PublishError("unreachable") from exc

    async def check_form(self) -> None:
        """The form exists and has a title and a long text in wiki syntax (the field the page
        goes into, stored as docs/exports.md says)."""
        form_id = self.target.form_id
        response = await self.get(f"forms/{quote(form_id, safe='')}")
        if response.status_code == 404:
            raise PublishError("form_missing", 404, form=form_id)
        if response.status_code != 200:
            raise _refusal(response)
        found = _json(response)
        rows = found.get("template") if isinstance(found, dict) else None
        if not isinstance(rows, list):
            raise PublishError("not_wiki", response.status_code)
        fields = {
            str(row[1]): (str(row[0]), str(row[7]) if len(row) > 7 else "")
            for row in rows
            if isinstance(row, list) and len(row) > 1
        }
        text = fields.get(self.target.text_field)
        if "bf_titre" not in fields or text is None or text[0] != "textelong":
            raise PublishError("form_fields", 200, form=form_id, field=self.target.text_field)
        if text[1] not in _WIKI_SYNTAX:
            raise PublishError("form_fields", 200, form=form_id, field=self.target.text_field)

    async def choose_name(self, publication: Publication) -> str:
        """The first of `Name`, `Name2`, … that is this board's entry already, or free."""
        for number in range(1, _NAME_TRIES + 1):
            name = publication.name + (str(number) if number > 1 else "")
            ours = await self._own_entry(name, publication.mark)
            if ours is not None:
                return ours
            page = await self.get(f"pages/{name}")
            if page.status_code == 404:
                return name
            if 300 <= page.status_code < 400:
                raise _refusal(page)
        raise PublishError("names_taken", None, name=publication.name, last=str(_NAME_TRIES))

    async def _own_entry(self, name: str, mark: str) -> str | None:
        """The entry's name as the wiki spells it (names match whatever their case) when it is
        an entry of the form whose page carries the board's mark; else None."""
        response = await self.get(f"entries/json/{name}")
        if response.status_code != 200:
            if 300 <= response.status_code < 400 or response.status_code in (401, 403):
                raise _refusal(response)
            return None
        found = _json(response)
        entries = list(found.values()) if isinstance(found, dict) else []
        if len(entries) != 1 or not isinstance(entries[0], dict):
            return None
        entry: dict[str, Any] = entries[0]
        page = entry.get(self.target.text_field)
        stored_name = str(entry.get("id_fiche", ""))
        ours = (
            str(entry.get("id_typeannonce")) == self.target.form_id
            and stored_name.lower() == name.lower()
            and re.fullmatch(r"[A-Za-z0-9]+", stored_name) is not None
            and isinstance(page, str)
            and re.search(rf'class="[^"]*(?<![\w-]){re.escape(mark)}(?![\w-])', page) is not None
        )
        return stored_name if ours else None

    async def write(self, publication: Publication, name: str) -> str:
        """Form-encoded fields, as Bazar's own form posts them (every YesWiki version reads
        these; only recent ones also read JSON)."""
        fields = {
            "bf_titre": html_text(publication.title),
            self.target.text_field: publication.body,
            "id_typeannonce": self.target.form_id,
            "id_fiche": name,
        }
        url = api_url(self.target.url, f"entries/{quote(self.target.form_id, safe='')}")
        try:
            response = await self.client.post(url, data=fields, headers=self.headers)
        except httpx.TimeoutException as exc:
            # The request may have reached the wiki: say so rather than guess.
            raise PublishError("timeout") from exc
        except httpx.HTTPError as exc:
            log.warning("publishing to %s failed: %s", self.target.url, type(exc).__name__)
            raise PublishError("unreachable") from exc
        if response.status_code not in (200, 201):
            log.warning("the wiki %s answered %s", self.target.url, response.status_code)
            raise _refusal(response)
        found = _json(response)
        link = found.get("success") if isinstance(found, dict) else None
        if not _is_web_url(link):
            raise PublishError("unexpected", response.status_code)
        return str(link)

    async def shows_html(self, name: str, mark: str) -> bool | None:
        """Whether the wiki shows the entry's raw blocks as HTML (its `allow_raw_html`, on by
        default) or as text; None when its answer does not tell. The entry is written already:
        nothing here fails the publication."""
        url = api_url(self.target.url, f"entries/html/{name}") + "&fields=html_output"
        try:
            response = await self.client.get(url, headers=self.headers)
        except httpx.HTTPError:
            return None
        found = _json(response) if response.status_code == 200 else None
        entries = list(found.values()) if isinstance(found, dict) else []
        shown = entries[0].get("html_output") if entries and isinstance(entries[0], dict) else None
        if not isinstance(shown, str):
            return None
        if f'<p class="ardoise-export {mark}">' in shown:
            return True
        if f"&lt;p class=&quot;ardoise-export {mark}&quot;&gt;" in shown:
            return False
        return None


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def html_text(value: str) -> str:
    """A title as the wiki's purifier keeps it and the entry's page shows it: as text."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


async def publish(target: WikiTarget, publication: Publication) -> Published:
    """Write the board's entry (a new one, or a new revision of its own); returns its URL, and
    a warning when the wiki shows the page's HTML as text.

    Raises PublishError, with nothing half-done hidden: every failure before the write says
    that nothing was published.
    """
    async with httpx.AsyncClient(timeout=target.timeout_s, follow_redirects=False) as client:
        wiki = _Wiki(client, target)
        await wiki.check_form()
        name = await wiki.choose_name(publication)
        url = await wiki.write(publication, name)
        shown = await wiki.shows_html(name, publication.mark)
    return Published(url, "raw_html_off" if shown is False else None)
