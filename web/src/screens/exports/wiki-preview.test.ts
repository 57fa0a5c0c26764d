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
  `{{section bgcolor="${color}" class="well well-sm" nocontainer="1"}}${text}{{end elem="section"}}`

function onlyPreviewElements(root: HTMLElement): void {
  for (const el of [root, ...root.querySelectorAll('*')]) {
    expect(PREVIEW_TAGS as readonly string[]).toContain(el.tagName.toLowerCase())
    for (const attr of el.getAttributeNames()) expect(['class', 'style']).toContain(attr)
  }
}

describe('numeric character references', () => {
  it('decodes decimal and hexadecimal references, and leaves anything else as it is', () => {
    expect(decodeReferences('&#60;b&#62; &#x2A; &#38;lt; &amp; &#0; &#55296; &#99999999;')).toBe('<b> * &lt; &amp; &#0; &#55296; &#99999999;')
  })
})

describe('the wiki preview', () => {
  it('shows a grid board as a table: header, row labels in bold, coloured cards with votes and authors', () => {
    const root = renderWikiPreview(golden('roadmap-votes.txt'))
    onlyPreviewElements(root)
    expect(root.querySelector('h1')?.textContent).toBe('Feuille de route — Axe 2 : Coopérations entre collectivités')
    expect(root.querySelector('p > em')?.textContent).toContain('9 notes, 23 votes')
    const rows = [...root.querySelectorAll('table tr')]
    expect(rows).toHaveLength(3)
    expect([...(rows[0] as HTMLElement).querySelectorAll('td')].map((td) => td.textContent)).toEqual(['', '1 mois', '6 mois', '1 an', '2 ans', 'Idéal'])
    const second = [...(rows[2] as HTMLElement).querySelectorAll(':scope > td')]
    expect(second).toHaveLength(6)
    expect(second[0]?.querySelector('strong')?.textContent).toBe('Outils & ressources')
    const budget = second[4]?.querySelector('.wiki-preview__card') as HTMLElement
    expect(budget.firstChild?.textContent).toBe('Budget mutualisé > 50 k€ ** à confirmer **')
    expect(budget.style.backgroundColor).not.toBe('')
    expect(budget.querySelector('strong')?.textContent).toBe('0 vote')
    expect(budget.querySelector('em')?.textContent).toBe('Hugo')
    expect(second[3]?.textContent).toContain('Former 20 agents à la facilitation | design de services')
    expect(root.querySelectorAll('.wiki-preview__card')).toHaveLength(9)
    // The notes outside the grid come after it, under their heading, in columns.
    expect(root.querySelector('h3')?.textContent).toBe('Autres notes')
    expect(root.querySelector('.wiki-preview__grid .wiki-preview__col .wiki-preview__card')?.textContent).toContain('Une idée posée hors de la grille')
  })

  it('shows column zones side by side, each with its heading and cards, line breaks kept', () => {
    const root = renderWikiPreview(golden('columns-en-votes.txt'))
    onlyPreviewElements(root)
    const columns = [...root.querySelectorAll('.wiki-preview__grid')[0]?.children ?? []]
    expect(columns.map((c) => c.querySelector('h3')?.textContent)).toEqual(['Keep', 'Drop', 'Try'])
    const tryCard = columns[2]?.querySelector('.wiki-preview__card') as HTMLElement
    expect(tryCard.querySelectorAll('br')).toHaveLength(2)
    expect(tryCard.textContent).toBe('Silent brainstormthen vote1 vote · Cy')
  })

  it('shows hostile note texts, escaped by the exporter, as the very same characters', () => {
    const texts = [
      '&#60;img src&#61;x onerror&#61;alert(1)&#62;',
      '&#34;&#34;&#60;script&#62;alert(1)&#60;&#47;script&#62;&#34;&#34;',
      '&#123;&#123;button link&#61;&#34;x&#34;&#125;&#125; &#123;&#123; &#125;&#125;',
      '&#91;&#91;http&#58;&#47;&#47;evil.example Clic&#93;&#93;',
      'a &#124; b',
      '&#61;&#61;Titre&#61;&#61;',
    ]
    const markup = ['======Atelier======', '[| ardoise-grille', '||**A**|**B**|', `|**Ligne**|${texts.map((t) => card(t)).join('')}|${card('x')}|`, '|]', '{{grid}}', '{{col size="12"}}', ...texts.map((t) => card(t)), '{{end elem="col"}}', '{{end elem="grid"}}'].join('\n')
    const root = renderWikiPreview(markup)
    onlyPreviewElements(root)
    const shown = [...root.querySelectorAll('.wiki-preview__card')].map((c) => c.textContent)
    const expected = ['<img src=x onerror=alert(1)>', '""<script>alert(1)</script>""', '{{button link="x"}} {{ }}', '[[http://evil.example Clic]]', 'a | b', '==Titre==']
    expect(shown).toEqual([...expected, 'x', ...expected])
    expect(root.querySelectorAll('table tr')[1]?.querySelectorAll(':scope > td')).toHaveLength(3)
  })

  it('shows raw, unescaped markup it does not understand as text, creating nothing', () => {
    const hostile = [
      '<img src=x onerror=alert(1)>',
      '""<b>raw</b>""',
      '{{ }} {{button link="javascript:alert(1)"}}',
      '[[ ]] [[http://evil.example]]',
      '|a|b|',
      '== x',
      '{{col size="6"}}',
      '{{end elem="grid"}}',
      '{{section bgcolor="red;background:url(x)" class="x"}}<i>z</i>{{end elem="section"}}',
      '&#60;&#0;&lt;',
    ]
    const root = renderWikiPreview(hostile.join('\n'))
    onlyPreviewElements(root)
    expect(root.querySelectorAll('img, script, a, b, i, iframe')).toHaveLength(0)
    expect(root.textContent).toContain('<img src=x onerror=alert(1)>')
    expect(root.textContent).toContain('""<b>raw</b>""')
    expect(root.textContent).toContain('{{button link="javascript:alert(1)"}}')
    // Raw `//` is italics on the wiki too (the exporter writes it `&#47;&#47;`): no link either way.
    expect(root.textContent).toContain('[[ ]] [[http:evil.example]]')
    expect(root.textContent).toContain('|a|b|')
    expect(root.textContent).toContain('{{col size="6"}}')
    expect(root.textContent).toContain('<&#0;&lt;')
    const odd = root.querySelector('.wiki-preview__card') as HTMLElement
    expect(odd.textContent).toBe('<i>z</i>')
    expect(odd.getAttribute('style') ?? '').toBe('')
  })

  it('keeps an unclosed table or grid inside the preview', () => {
    const root = renderWikiPreview('[| ardoise-grille\n||**A**|\n|**r**|x\n{{grid}}\n{{col size="6"}}\nfin')
    onlyPreviewElements(root)
    expect(root.textContent).toContain('A')
    expect(root.textContent).toContain('fin')
  })
})
