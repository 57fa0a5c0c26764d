/** The zones under the notes: each zone's box, title and hint, and the row labels of grid templates. */
import { h } from '../lib/dom'
import type { Zone } from './model'
import { placeBox } from './note-look'
import { rowLabels } from './row-labels'

export class ZonesLayer {
  readonly el = h('div', { class: 'zones-layer' })
  zones: Zone[] = []

  set(zones: Zone[]): void {
    this.zones = zones
    this.el.replaceChildren(
      ...zones.map((zone) => {
        const el = h('div', { class: `zone${zone.color ? ` zone--${zone.color}` : ''}`, attrs: { 'data-zone': zone.id } }, [
          h('div', { class: 'zone__title', text: zone.title }),
          zone.hint ? h('div', { class: 'zone__hint', text: zone.hint }) : null,
        ])
        placeBox(el, zone.rect)
        return el
      }),
      ...rowLabels(zones).map((label) => {
        const el = h('div', { class: 'zone-row-label', attrs: { 'data-row': label.text }, text: label.text })
        placeBox(el, label.rect)
        return el
      }),
    )
  }
}
