/** The board's legend (docs/board-schema.md, `meta.legend`): a colour's words wherever a colour is offered, and the facilitator's "Légende" dialog. */
import { type Key, bindAttr, bindText, t } from '../../i18n'
import { type Legend, MAX_LEGEND_CHARS, PALETTE, type PaletteName, setLegendLabel } from '../../board/model'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'
import { Role } from '../../sync/protocol'
import { openModal } from '../widgets/modal'

/** "Jaune : idée" when the legend names the colour, else "Jaune"; kept translated by bindAttr. */
export function bindColorAttr(el: Element, attr: string, color: PaletteName, legend: Legend): void {
  const label = legend[color]
  if (label) bindAttr(el, attr, `legend.${color}` as Key, { label })
  else bindAttr(el, attr, `color.${color}` as Key)
}

/** The same words as plain text, for a sentence built around them. */
export function colorWords(color: PaletteName, legend: Legend): string {
  const label = legend[color]
  return label ? t(`legend.${color}` as Key, { label }) : t(`color.${color}` as Key)
}

export function sameLegend(a: Legend, b: Legend): boolean {
  return PALETTE.every((color) => a[color] === b[color])
}

/** Calls `paint` whenever the legend changes (and once now). */
export function onLegend(session: BoardSession, paint: (legend: Legend) => void): void {
  paint(session.meta.legend)
  session.on('layout', ({ before }) => {
    if (!sameLegend(before.meta.legend, session.meta.legend)) paint(session.meta.legend)
  })
}

/** The toolbar's "Légende" button (facilitators only) and the dialog it opens: one field per colour. */
export class LegendEditor {
  readonly button: HTMLButtonElement
  private fields = new Map<PaletteName, HTMLInputElement>()

  constructor(private readonly session: BoardSession) {
    this.button = bindText(h('button', { class: 'button', attrs: { type: 'button', 'aria-haspopup': 'dialog', 'data-legend-open': '' }, on: { click: () => this.open() } }), 'legend.open')
    this.button.hidden = true
    session.on('access', () => {
      this.button.hidden = session.role !== Role.FACILITATOR
    })
    onLegend(session, (legend) => {
      // Another facilitator's change shows at once, except in the field being typed in.
      for (const [color, input] of this.fields) if (document.activeElement !== input) input.value = legend[color] ?? ''
    })
  }

  private open(): void {
    const modal = openModal('legend.title', 'legend-dialog', () => this.fields.clear())
    const rows = PALETTE.map((color) => {
      const input = h('input', { class: 'legend__input', attrs: { type: 'text', id: `legend-${color}`, maxlength: MAX_LEGEND_CHARS, autocomplete: 'off', 'data-color': color } })
      input.value = this.session.meta.legend[color] ?? ''
      bindAttr(input, 'placeholder', 'legend.placeholder')
      // Written when the field is left or Enter pressed: one change per label, not one per key.
      const save = (): void => {
        if (this.session.role !== Role.FACILITATOR) return
        if (input.value.trim() !== (this.session.meta.legend[color] ?? '')) setLegendLabel(this.session.layout, color, input.value)
      }
      input.addEventListener('change', save)
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') {
          event.preventDefault()
          save()
        }
      })
      this.fields.set(color, input)
      return h('div', { class: 'legend__row' }, [
        h('span', { class: `legend__swatch swatch--${color}`, attrs: { 'aria-hidden': 'true' } }),
        bindText(h('label', { class: 'legend__color', attrs: { for: input.id } }), `color.${color}` as Key),
        input,
      ])
    })
    modal.body.append(bindText(h('p', { class: 'legend__hint' }), 'legend.hint', { max: MAX_LEGEND_CHARS }), ...rows)
    this.fields.get('yellow')?.focus()
  }
}
