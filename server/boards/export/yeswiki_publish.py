"""Publishing a board to a YesWiki as a Bazar form entry (`POST ?api/entries/{formId}`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WikiTarget:
    """Where and how to publish, from the server's settings."""

    url: str
    form_id: str
    # The key must never reach a log or an error page.
    api_key: str = field(repr=False)
    text_field: str = "bf_description"
    timeout_s: float = 20.0


class PublishError(Exception):
    """The wiki did not create the entry (or we cannot know); `reason` is a key of MESSAGES."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


MESSAGES: dict[str, dict[str, str]] = {
    "fr": {
        "key": "la clé d'API est refusée par le wiki (vérifiez api_allowed_keys)",
        "not_found": "le wiki ne connaît pas ce formulaire Bazar ou cette adresse d'API",
        "refused": "le wiki a refusé la fiche (vérifiez les champs du formulaire Bazar)",
        "wiki_error": "le wiki a rencontré une erreur ; réessayez plus tard",
        "unreachable": "le wiki est injoignable ; rien n'a été publié",
        "timeout": (
            "le wiki n'a pas répondu à temps ; la fiche a peut-être été créée : "
            "vérifiez sur le wiki avant de republier"
        ),
        "unexpected": (
            "réponse inattendue du wiki ; la fiche a peut-être été créée : "
            "vérifiez sur le wiki avant de republier"
        ),
        "redirect": "le wiki renvoie ailleurs : vérifiez son adresse (http ou https ?)",
    },
    "en": {
        "key": "the wiki refuses the API key (check api_allowed_keys)",
        "not_found": "the wiki does not know this Bazar form or API address",
        "refused": "the wiki refused the entry (check the Bazar form's fields)",
        "wiki_error": "the wiki failed; try again later",
        "unreachable": "the wiki cannot be reached; nothing was published",
        "timeout": (
            "the wiki did not answer in time; the entry may have been created: "
            "check the wiki before publishing again"
        ),
        "unexpected": (
            "unexpected answer from the wiki; the entry may have been created: "
            "check the wiki before publishing again"
        ),
        "redirect": "the wiki redirects elsewhere: check its address (http or https?)",
    },
}


# Failures after which the request may have reached the wiki and created the entry.
MAY_EXIST = frozenset({"timeout", "unexpected"})


def message(reason: str, locale: str) -> str:
    return MESSAGES.get(locale, MESSAGES["fr"])[reason]


def entries_url(wiki_url: str, form_id: str) -> str:
    """`https://wiki.example.org` -> `https://wiki.example.org/?api/entries/3`."""
    base = wiki_url.strip().rstrip("?").rstrip("/")
    separator = "?" if base.endswith(".php") else "/?"
    return f"{base}{separator}api/entries/{form_id}"


def _is_web_url(value: object) -> bool:
    if not isinstance(value, str) or len(value) > 2000:
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _refusal(status: int) -> str:
    if status in (401, 403):
        return "key"
    if status == 404:
        return "not_found"
    if 300 <= status < 400:
        return "redirect"
    if 400 <= status < 500:
        return "refused"
    return "wiki_error"


async def publish(target: WikiTarget, title: str, body: str) -> str:
    """Create the entry; returns its URL. Raises PublishError, with nothing half-done hidden.

    Form-encoded fields, as YesWiki's Bazar form posts them (every YesWiki version reads
    these; only recent ones also read JSON). No `tag` field: with one, Bazar would update
    an existing entry instead of creating one.
    """
    fields = {
        "bf_titre": title,
        target.text_field: body,
        "id_typeannonce": target.form_id,
    }
    headers = {"Authorization": f"Bearer {target.api_key}", "Accept": "application/json"}
    url = entries_url(target.url, target.form_id)
    try:
        async with httpx.AsyncClient(timeout=target.timeout_s, follow_redirects=False) as client:
            response = await client.post(url, data=fields, headers=headers)
    except httpx.TimeoutException as exc:
        # The request may have reached the wiki: say so rather than guess.
        raise PublishError("timeout") from exc
    except httpx.HTTPError as exc:
        log.warning("publishing to %s failed: %s", target.url, type(exc).__name__)
        raise PublishError("unreachable") from exc
    if response.status_code not in (200, 201):
        log.warning("the wiki %s answered %s", target.url, response.status_code)
        raise PublishError(_refusal(response.status_code), response.status_code)
    try:
        link = response.json().get("success")
    except (ValueError, AttributeError) as exc:
        raise PublishError("unexpected", response.status_code) from exc
    if not _is_web_url(link):
        raise PublishError("unexpected", response.status_code)
    return str(link)
