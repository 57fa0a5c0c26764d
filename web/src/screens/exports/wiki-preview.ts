/** A preview of the YesWiki page the server exports (server/boards/export/yeswiki.py), drawn with DOM calls only. */
// The page is a few raw HTML blocks `""…""` (docs/exports.md): a title, a line with the date,
// a table for a grid, Bootstrap columns for zones, coloured cards. The preview shows the same
// structure and texts, honest rather than pixel-perfect.
//
// Safety: the markup is never given to the browser as HTML. A small reader of its own finds the
// tags the exporter writes; only the elements listed in `PREVIEW_TAGS` are created, with the
// preview's own classes; every text goes in as a text node (`&amp;`, `&lt;`, `&gt;`, `&quot;`
// and numeric references decoded to characters); the only value taken from the markup is a
// card's colour, accepted only as `background-color:#rrggbb` and set through `element.style`.
// Anything the reader does not recognise is shown as the text it is.

/** Every element the preview may create (the unit tests check that nothing else appears). */
export const PREVIEW_TAGS = ['div', 'h1', 'h3', 'p', 'strong', 'em', 'table', 'thead', 'tbody', 'tr', 'th', 'td'] as const
type Tag = (typeof PREVIEW_TAGS)[number]

const RAW_BLOCK = /""([\s\S]*?)""/g
// One tag as the exporter writes it: a name, then attributes in double quotes.
const TAG = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z-]+="[^"<>]*")*)\s*\/?>/y
const ATTRIBUTE = /([a-z-]+)="([^"]*)"/g
const COLOR = /^background-color:(#[0-9a-fA-F]{6});$/
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' }

/** `&lt;`, `&#42;` and `&#x2A;` as the characters they stand for; anything else stays as it is. */
export function decodeReferences(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot));/g, (whole, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return ENTITIES[name] ?? whole
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16)
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
    return valid ? String.fromCodePoint(code) : whole
  })
}

interface Shape {
  tag: Tag
  className?: string
}

/** What an element of the export becomes in the preview; null: its content only (a `span`). */
function shapeOf(tag: string, classes: string[]): Shape | null | undefined {
  const has = (name: string): boolean => classes.includes(name)
  switch (tag) {
    case 'span':
      return null
    case 'div':
      if (has('ardoise-carte')) return { tag: 'div', className: 'wiki-preview__card' }
      if (has('ardoise-note')) return { tag: 'div', className: 'wiki-preview__text' }
      if (has('ardoise-meta')) return { tag: 'div', className: 'wiki-preview__meta' }
      if (has('ardoise-colonnes')) return { tag: 'div', className: 'wiki-preview__grid' }
      if (has('ardoise-zone')) return { tag: 'div', className: 'wiki-preview__col' }
      return { tag: 'div' }
    case 'table':
      return { tag: 'table', className: 'wiki-preview__table' }
    case 'h1':
    case 'h3':
    case 'p':
    case 'em':
    case 'strong':
    case 'thead':
    case 'tbody':
    case 'tr':
    case 'th':
    case 'td':
      return { tag }
    default:
      return undefined // not the exporter's: shown as text
  }
}

export function renderWikiPreview(markup: string, doc: Document = document): HTMLElement {
  const root = doc.createElement('div')
  root.className = 'wiki-preview'
  const source = markup.replace(/\r\n?/g, '\n')
  let last = 0
  for (const block of source.matchAll(RAW_BLOCK)) {
    outside(source.slice(last, block.index))
    inside(block[1] ?? '')
    last = (block.index ?? 0) + block[0].length
  }
  outside(source.slice(last))
  return root

  /** Text between the blocks: none in an export, shown as it is when there is some. */
  function outside(text: string): void {
    if (text.trim() === '') return
    const p = doc.createElement('p')
    p.append(doc.createTextNode(text.trim()))
    root.append(p)
  }

  /** One block: elements rebuilt, texts as text; a closing tag closes up to its element. */
  function inside(html: string): void {
    const open: Array<{ name: string; el: HTMLElement | null }> = [{ name: '', el: root }]
    const parent = (): HTMLElement => {
      for (let i = open.length - 1; i >= 0; i -= 1) {
        const el = open[i]?.el
        if (el) return el
      }
      return root
    }
    let text = ''
    const flush = (): void => {
      if (text) parent().append(doc.createTextNode(decodeReferences(text)))
      text = ''
    }
    let at = 0
    while (at < html.length) {
      const lt = html.indexOf('<', at)
      if (lt === -1) {
        text += html.slice(at)
        break
      }
      text += html.slice(at, lt)
      TAG.lastIndex = lt
      const tag = TAG.exec(html)
      const shape = tag ? shapeOf(tag[2] ?? '', classesOf(tag[3] ?? '')) : undefined
      if (!tag || shape === undefined) {
        text += '<'
        at = lt + 1
        continue
      }
      at = TAG.lastIndex
      const [, closing, name = ''] = tag
      if (closing) {
        const index = open.map((o) => o.name).lastIndexOf(name)
        if (index > 0) {
          flush()
          open.splice(index)
        }
        continue
      }
      flush()
      if (shape === null) {
        open.push({ name, el: null })
        continue
      }
      const el = doc.createElement(shape.tag)
      if (shape.className) el.className = shape.className
      const color = COLOR.exec(attribute(tag[3] ?? '', 'style'))
      if (shape.className === 'wiki-preview__card' && color?.[1]) el.style.backgroundColor = color[1]
      parent().append(el)
      open.push({ name, el })
    }
    flush()
  }
}

function attribute(attributes: string, name: string): string {
  for (const [, key, value] of attributes.matchAll(ATTRIBUTE)) {
    if (key === name) return value ?? ''
  }
  return ''
}

function classesOf(attributes: string): string[] {
  return attribute(attributes, 'class').split(/\s+/).filter(Boolean)
}
