/** An approximate preview of the YesWiki markup the server exports (server/boards/export/yeswiki.py), drawn with DOM calls only. */
// Headings, italic and bold, `{{grid}}{{col}}` columns, `[| … |]` tables and the coloured
// `{{section}}` cards: honest rather than pixel-perfect, the same structure and texts as the page.
//
// Safety: the markup is never given to the browser as HTML. Only the elements listed in
// `PREVIEW_TAGS` are created, every text goes in as a text node, numeric character references
// (`&#42;`) are decoded to characters and inserted as text, and the only attribute taken from the
// markup is a card's colour, accepted only as `#rrggbb` and set through `element.style`.
// Anything the preview does not recognise is shown as the text it is.

/** Every element the preview may create (the unit tests check that nothing else appears). */
export const PREVIEW_TAGS = ['div', 'h1', 'h2', 'h3', 'h4', 'h5', 'p', 'strong', 'em', 'br', 'table', 'tbody', 'tr', 'td'] as const
type Tag = (typeof PREVIEW_TAGS)[number]

interface Card {
  color: string | null
  body: string
}

// Cards are cut out first (their text may span lines) and replaced by a marker made of NUL
// characters, which the exporter never emits (it removes control characters from user text).
const CARD = /\{\{section\b([^}]*)\}\}([\s\S]*?)\{\{end elem="section"\}\}/g
const MARKER = /\u0000(\d+)\u0000/
const HEADING = /^(={2,6})(.*?)(={2,6})\s*$/
const COLUMN = /^\{\{col\b[^}]*\}\}$/
const INLINE = /(\u0000\d+\u0000|\*\*|\/\/|\n)/
const HEX = /^#[0-9a-fA-F]{6}$/

/** `&#42;` and `&#x2A;` as the characters they stand for; anything else stays as it is. */
export function decodeReferences(text: string): string {
  return text.replace(/&#(?:(\d{1,7})|[xX]([0-9a-fA-F]{1,6}));/g, (whole, dec?: string, hex?: string) => {
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16)
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
    return valid ? String.fromCodePoint(code) : whole
  })
}

export function renderWikiPreview(markup: string, doc: Document = document): HTMLElement {
  const make = (tag: Tag, className?: string): HTMLElement => {
    const el = doc.createElement(tag)
    if (className) el.className = className
    return el
  }
  const text = (value: string): Text => doc.createTextNode(decodeReferences(value))

  const cards: Card[] = []
  const source = markup.replace(/\r\n?/g, '\n').replace(/\u0000/g, '').replace(CARD, (_whole, attrs: string, body: string) => {
    const color = /\bbgcolor="([^"]*)"/.exec(attrs)?.[1] ?? ''
    cards.push({ color: HEX.test(color) ? color : null, body })
    return `\u0000${cards.length - 1}\u0000`
  })

  function card(index: number): HTMLElement {
    const found = cards[index]
    const el = make('div', 'wiki-preview__card')
    if (!found) return el
    if (found.color) el.style.backgroundColor = found.color
    inline(el, found.body.replace(/^\n+|\n+$/g, ''))
    return el
  }

  /** Bold, italic, line breaks and cards inside a block; unmatched markers stay open to its end. */
  function inline(parent: HTMLElement, value: string): void {
    const open: HTMLElement[] = [parent]
    for (const part of value.split(INLINE)) {
      if (!part) continue
      const top = open[open.length - 1] as HTMLElement
      const marker = MARKER.exec(part)
      if (marker && part === marker[0]) {
        parent.append(card(Number(marker[1])))
        open.splice(1) // a card is a block: formatting does not carry over it
      } else if (part === '**' || part === '//') {
        const tag: Tag = part === '**' ? 'strong' : 'em'
        if (open.length > 1 && top.tagName.toLowerCase() === tag) {
          open.pop()
        } else {
          const el = make(tag)
          top.append(el)
          open.push(el)
        }
      } else if (part === '\n') {
        top.append(make('br'))
      } else {
        top.append(text(part))
      }
    }
  }

  const root = make('div', 'wiki-preview')
  const stack: Array<{ el: HTMLElement; kind: 'root' | 'grid' | 'col' }> = [{ el: root, kind: 'root' }]
  const current = (): HTMLElement => (stack[stack.length - 1] as { el: HTMLElement }).el
  const close = (kind: 'grid' | 'col'): boolean => {
    const index = stack.map((s) => s.kind).lastIndexOf(kind)
    if (index <= 0) return false
    stack.splice(index)
    return true
  }

  const lines = source.split('\n')
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string
    const trimmed = line.trim()
    if (trimmed === '') continue
    if (trimmed === '{{grid}}') {
      const el = make('div', 'wiki-preview__grid')
      current().append(el)
      stack.push({ el, kind: 'grid' })
    } else if (COLUMN.test(trimmed) && stack[stack.length - 1]?.kind === 'grid') {
      const el = make('div', 'wiki-preview__col')
      current().append(el)
      stack.push({ el, kind: 'col' })
    } else if (trimmed === '{{end elem="col"}}' && close('col')) {
      // closed
    } else if (trimmed === '{{end elem="grid"}}' && close('grid')) {
      // closed
    } else if (trimmed.startsWith('[|')) {
      const end = lines.findIndex((l, j) => j > i && l.trim() === '|]')
      const stop = end === -1 ? lines.length : end
      current().append(table(lines.slice(i + 1, stop)))
      i = stop
    } else if (HEADING.test(trimmed)) {
      const [, opening = '==', content = ''] = HEADING.exec(trimmed) ?? []
      const level = Math.min(5, 7 - opening.length)
      const el = make(`h${level}` as Tag, 'wiki-preview__heading')
      inline(el, content)
      current().append(el)
    } else if (MARKER.test(trimmed) && trimmed.replace(new RegExp(MARKER.source, 'g'), '') === '') {
      inline(current(), trimmed) // a line of cards only
    } else {
      const el = make('p')
      inline(el, line)
      current().append(el)
    }
  }

  /** `[| class` … `|]`: a row ends at the first line ending with `|`; cells are split on `|`. */
  function table(rows: string[]): HTMLElement {
    const el = make('table', 'wiki-preview__table')
    const body = make('tbody')
    el.append(body)
    let pending = ''
    for (const row of rows) {
      pending = pending ? `${pending}\n${row}` : row
      if (!row.trimEnd().endsWith('|')) continue
      const tr = make('tr')
      const cells = pending.trim().replace(/^\|/, '').replace(/\|$/, '').split('|')
      for (const cell of cells) {
        const td = make('td')
        inline(td, cell)
        tr.append(td)
      }
      body.append(tr)
      pending = ''
    }
    if (pending) {
      const tr = make('tr')
      const td = make('td')
      inline(td, pending)
      tr.append(td)
      body.append(tr)
    }
    return el
  }

  return root
}
