/** "Double-cliquez pour ajouter une idée" on a board without notes, for a person who may write: a blank board said nothing. */
import { bindText } from '../../i18n'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'

// A touch screen has no double-click: it is a double tap there (pointer-gestures.ts).
const TOUCH_QUERY = '(hover: none) and (pointer: coarse)'

export function emptyHint(session: BoardSession): HTMLElement {
  const el = bindText(h('p', { class: 'board-empty-hint', attrs: { hidden: true } }), matchMedia(TOUCH_QUERY).matches ? 'canvas.emptyHintTouch' : 'canvas.emptyHint')
  let ready = false
  const refresh = (): void => {
    el.hidden = !ready || !session.canWrite() || session.model.ids().length > 0
  }
  session.on('ready', () => {
    ready = true
    refresh()
  })
  session.on('model', refresh)
  // Only an empty board changes the answer; a board with notes skips the count.
  session.on('notes', () => {
    if (!el.hidden || session.model.size === 0) refresh()
  })
  session.on('access', refresh)
  return el
}
