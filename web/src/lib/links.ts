/** Web addresses in a note's text as links (docs/board-schema.md, "Links in a note"): http(s) only, opened in a new tab without opener, referrer or endorsement. */
// The rule is shared with the exports (server/boards/export/links.py): both run tests/support/link_cases.json.

export const LINK_REL = 'noopener noreferrer nofollow'

export interface TextPart {
  text: string
  /** Set for an address: what the link points to (the text with unusual characters percent-encoded). */
  href: string | null
}

// `http://` or `https://` not glued to a letter or digit before it, then anything but blanks,
// quotes, angle brackets and backticks (which end an address in running text).
const CANDIDATE = /(?<![\p{L}\p{N}])https?:\/\/[^\s<>"`]+/giu
const TRAILING = /[.,;:!?'»…]$/u
// The address's host: ASCII labels of letters, digits and inner hyphens, an optional port, then
// the end or a path, query or fragment. No user name (`user@host` is a classic disguise), no
// other host: a wiki's purifier drops such an href, and a reader could not tell where it goes.
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?'
const HOST = new RegExp(`^https?://${LABEL}(?:\\.${LABEL})*(?::[0-9]{1,5})?(?:[/?#]|$)`, 'i')
// Kept as typed in an href; every other character is percent-encoded (its UTF-8 bytes).
const SAFE = /[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]/

function trimEnd(address: string): string {
  let out = address
  for (;;) {
    if (TRAILING.test(out)) out = out.slice(0, -1)
    else if (out.endsWith(')') && count(out, '(') < count(out, ')')) out = out.slice(0, -1)
    else if (out.endsWith(']') && count(out, '[') < count(out, ']')) out = out.slice(0, -1)
    else return out
  }
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/
const ESCAPE = /^%[0-9A-Fa-f]{2}/

/** The address percent-encoded in the one form a URI normaliser (the wiki's HTMLPurifier) leaves
 * as it is: other characters encoded, a `#` after the fragment's own encoded, a `%` that starts no
 * escape encoded, escapes of unreserved characters decoded, hex digits upper case. */
function encodeHref(address: string): string | null {
  let encoded = ''
  for (const ch of address) {
    if (SAFE.test(ch)) encoded += ch
    else {
      try {
        encoded += encodeURIComponent(ch)
      } catch {
        return null // a lone surrogate: no address
      }
    }
  }
  let out = ''
  let seenHash = false
  for (let i = 0; i < encoded.length; i++) {
    const ch = encoded[i]
    if (ch === '%') {
      const escape = ESCAPE.exec(encoded.slice(i))
      if (escape) {
        const decoded = String.fromCharCode(parseInt(escape[0].slice(1), 16))
        out += UNRESERVED.test(decoded) ? decoded : escape[0].toUpperCase()
        i += 2
      } else out += '%25'
    } else if (ch === '#') {
      out += seenHash ? '%23' : '#'
      seenHash = true
    } else out += ch
  }
  return out
}

/** The text cut into plain parts and addresses, in order; joined, the parts are the text. */
export function findLinks(text: string): TextPart[] {
  const parts: TextPart[] = []
  let done = 0
  for (const match of text.matchAll(CANDIDATE)) {
    const address = trimEnd(match[0])
    const href = HOST.test(address) ? encodeHref(address) : null
    if (href === null) continue
    const start = match.index ?? 0
    if (start > done) parts.push({ text: text.slice(done, start), href: null })
    parts.push({ text: address, href })
    done = start + address.length
  }
  if (done < text.length || parts.length === 0) parts.push({ text: text.slice(done), href: null })
  return parts
}

/** Fills `el` with the text, its addresses as links; text always as text nodes. `tabbable: false`
 * keeps the links out of the Tab order (on the canvas, where Tab goes from note to note). */
export function fillWithLinks(el: HTMLElement, text: string, tabbable: boolean): void {
  el.replaceChildren(...findLinks(text).map((part) => {
    if (part.href === null) return document.createTextNode(part.text)
    const a = document.createElement('a')
    a.href = part.href
    a.target = '_blank'
    a.rel = LINK_REL
    a.draggable = false
    if (!tabbable) a.tabIndex = -1
    a.textContent = part.text
    return a
  }))
}
