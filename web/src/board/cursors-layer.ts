/** Others' cursors with their names, above the board, placed in screen pixels. */
import { h } from '../lib/dom'
import type { PresenceState } from '../sync/presence'
import { safeColor } from './note-look'
import { type View, toScreen } from './viewport'

export class CursorsLayer {
  readonly el = h('div', { class: 'cursors-layer', attrs: { 'aria-hidden': 'true' } })
  private readonly cursors = new Map<number, HTMLElement>()
  /** The last presence seen, to move cursors with the view between presence updates. */
  private others = new Map<number, PresenceState>()

  render(others: Map<number, PresenceState>, view: View): void {
    this.others = others
    for (const [id, el] of this.cursors) {
      if (!others.has(id)) {
        el.remove()
        this.cursors.delete(id)
      }
    }
    for (const [id, state] of others) {
      const cursor = state.cursor
      let el = this.cursors.get(id)
      const valid = Array.isArray(cursor) && cursor.length === 2 && cursor.every(Number.isFinite)
      if (!valid) {
        if (el) el.hidden = true
        continue
      }
      if (!el) {
        el = h('div', { class: 'cursor' }, [h('span', { class: 'cursor__arrow' }), h('span', { class: 'cursor__name' })])
        this.cursors.set(id, el)
        this.el.append(el)
      }
      el.hidden = false
      el.style.setProperty('--peer-color', safeColor(state.color))
      const name = el.lastElementChild as HTMLElement
      if (name.textContent !== state.name) name.textContent = state.name
      const [sx, sy] = toScreen(view, cursor[0], cursor[1])
      el.style.transform = `translate(${sx}px, ${sy}px)`
    }
  }

  /** The view moved: the same cursors at their new screen places. */
  redraw(view: View): void {
    this.render(this.others, view)
  }
}
