/** Tests of the wiki preview against the exporter's golden files, and that it creates only its listed elements. */
// @vitest-environment happy-dom
/// <reference types="node" />
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { PREVIEW_TAGS, decodeReferences, renderWikiPreview } from './wiki-preview'

// The exporter's own golden files (tests/unit/boards/export/golden), so the preview follows the server.
const golden = (name: string): string =>
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../../tests/unit/boards/export/golden', name), 'utf8')

const card = (text: string, color = '#FFF59D'): string =>
  `<div class="well well-sm ardoise-carte" style="background-color:${color};"><div class="ardoise-note" style="white-space:pre-wrap;">${text}</div></div>`

function onlyPreviewElements(root: HTMLElement): void {
  for (const el of [root, ...root.querySelectorAll('*')]) {
    expect(PREVIEW_TAGS as readonly string[]).toContain(el.tagName.toLowerCase())
    for (const attr of el.getAttributeNames()) expect(['class', 'style']).toContain(attr)
  }
}

const cardTexts = (root: HTMLElement): string[] => [...root.querySelectorAll('.wiki-preview__text')].map((c) => c.textContent ?? '')

describe('references', () => {
  it('decodes the four named ones and numeric ones, and leaves anything else as it is', () => {
    expect(decodeReferences('&lt;b&gt; &amp;amp; &quot; &#x2A; &#38;lt; &eacute; &#0; &#55296; &#99999999;')).toBe('<b> &amp; " * &lt; &eacute; &#0; &#55296; &#99999999;')
  })
})

describe('the wiki preview', () => {
  it('shows a grid board as a table: header, row labels, coloured cards with votes and authors', () => {
    const root = renderWikiPreview(golden('roadmap-votes.txt'))
    onlyPreviewElements(root)
    expect(root.querySelector('h1')?.textContent).toBe('Feuille de route — Axe 2 : Coopérations entre collectivités')
    expect(root.querySelector('p > em')?.textContent).toContain('9 post-it, 23 votes')
    expect([...root.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['', '1 mois', '6 mois', '1 an', '2 ans', 'Idéal'])
    const rows = [...root.querySelectorAll('tbody tr')]
    expect(rows).toHaveLength(2)
    expect(rows[1]?.querySelector('th')?.textContent).toBe('Outils & ressources')
    const cells = [...(rows[1] as HTMLElement).querySelectorAll(':scope > td')]
    expect(cells).toHaveLength(5)
    const budget = cells[3]?.querySelector('.wiki-preview__card') as HTMLElement
    expect(budget.querySelector('.wiki-preview__text')?.textContent).toBe('Budget mutualisé > 50 k€ ** à confirmer **')
    expect(budget.style.backgroundColor).not.toBe('')
    expect(budget.querySelector('strong')).toBeNull() // nobody voted for it: no "0 vote"
    expect(budget.querySelector('em')?.textContent).toBe('Hugo')
    expect(cells[2]?.textContent).toContain('Former 20 agents à la facilitation | design de services')
    expect(root.querySelectorAll('.wiki-preview__card')).toHaveLength(9)
    // The notes outside the grid come after it, under their heading, in columns.
    expect(root.querySelector('h3')?.textContent).toBe('Autres post-it')
    expect(root.querySelector('.wiki-preview__grid .wiki-preview__col .wiki-preview__card')?.textContent).toContain('Une idée posée hors de la grille')
  })

  it('shows column zones side by side, each with its heading and cards, line breaks kept', () => {
    const root = renderWikiPreview(golden('columns-en-votes.txt'))
    onlyPreviewElements(root)
    const columns = [...root.querySelectorAll('.wiki-preview__grid')[0]?.children ?? []]
    expect(columns.map((c) => c.querySelector('h3')?.textContent)).toEqual(['Keep', 'Drop', 'Try'])
    const tryCard = columns[2]?.querySelector('.wiki-preview__card') as HTMLElement
    expect(tryCard.querySelector('.wiki-preview__text')?.textContent).toBe('Silent brainstorm\nthen vote')
    expect(tryCard.textContent).toBe('Silent brainstorm\nthen vote1 vote · Cy')
  })

  it('shows hostile note texts, escaped by the exporter, as the very same characters', () => {
    const root = renderWikiPreview(golden('templates/ou-aller.txt'))
    onlyPreviewElements(root)
    expect(cardTexts(root)).toContain('**gras** ""<b>x</b>"" [[lien]] {{grid}} | == titre ==')
    const escaped = ['&lt;img src=x onerror=alert(1)&gt;', '"<span>"</span>&lt;script&gt;alert(1)&lt;/script&gt;"<span>"</span>', '<span>{</span>{button link="x"}} {{ }}', '<span>[</span>|a|b|]', '  indented\n\nblank line before']
    const root2 = renderWikiPreview(`""<div class="row ardoise-colonnes"><div class="col-sm-12 ardoise-zone">${escaped.map((t) => card(t)).join('\n')}</div></div>""`)
    onlyPreviewElements(root2)
    expect(cardTexts(root2)).toEqual(['<img src=x onerror=alert(1)>', '""<script>alert(1)</script>""', '{{button link="x"}} {{ }}', '[|a|b|]', '  indented\n\nblank line before'])
    expect(root2.querySelectorAll('img, script, b, a')).toHaveLength(0)
  })

  it('shows markup it does not know as text, creating nothing, and keeps only a palette colour', () => {
    const hostile = [
      '<img src=x onerror=alert(1)>',
      '""<b>raw</b><script>alert(1)</script><a href="javascript:alert(1)">x</a>""',
      '""<div class="ardoise-carte" style="background-color:red;background:url(x)"><i>z</i></div>""',
      '""<div class="ardoise-carte" style="background-color:#123456;" onclick="alert(1)">c</div>""',
      '""<table><tr><td>open',
    ]
    const root = renderWikiPreview(hostile.join('\n'))
    onlyPreviewElements(root)
    expect(root.querySelectorAll('img, script, a, b, i, iframe')).toHaveLength(0)
    expect(root.textContent).toContain('<img src=x onerror=alert(1)>')
    expect(root.textContent).toContain('<b>raw</b><script>alert(1)</script><a href="javascript:alert(1)">x</a>')
    const cards = [...root.querySelectorAll('.wiki-preview__card')] as HTMLElement[]
    expect(cards[0]?.textContent).toBe('<i>z</i>')
    expect(cards[0]?.getAttribute('style') ?? '').toBe('')
    // Only the colour is taken from a tag; any other attribute is left behind.
    expect(cards[1]?.textContent).toBe('c')
    expect(cards[1]?.style.backgroundColor).toBe('#123456')
    expect(root.textContent).toContain('""<table><tr><td>open')
  })

  it('keeps an unclosed table or column inside the preview', () => {
    const root = renderWikiPreview('""<table><tbody><tr><td>x""\n""<div class="row ardoise-colonnes"><div class="col-sm-6 ardoise-zone">fin""\nlibre')
    onlyPreviewElements(root)
    expect(root.textContent).toContain('x')
    expect(root.textContent).toContain('fin')
    expect(root.lastElementChild?.tagName.toLowerCase()).toBe('p')
    expect(root.lastElementChild?.textContent).toBe('libre')
  })
})
