/** "Dupliquer", "Voir la sélection" and the others given ("Regrouper"): shown over the board's top left while notes are selected, for a mouse or a finger (Ctrl+D and Z on a keyboard). */
// Not in the toolbar: buttons appearing there would change its size, which refits a board nobody
// has moved yet (view-fit.ts), and at 1366 px it must hold on one line.
import { bindText } from '../../i18n'
import type { BoardCanvas } from '../../board/canvas'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'

export function selectionTools(session: BoardSession, canvas: BoardCanvas, duplicate: () => void, others: HTMLElement[] = []): HTMLElement {
  const duplicateButton = bindText(h('button', { class: 'button', attrs: { type: 'button', 'aria-keyshortcuts': 'Control+D' }, on: { click: duplicate } }), 'toolbar.duplicate')
  const zoomButton = bindText(h('button', { class: 'button', attrs: { type: 'button', 'aria-keyshortcuts': 'Z' }, on: { click: () => canvas.zoomToSelection() } }), 'toolbar.zoomSelection')
  const el = h('div', { class: 'selection-tools', attrs: { hidden: true } }, [duplicateButton, zoomButton, ...others])
  const refresh = (): void => {
    el.hidden = canvas.selection.size === 0
    duplicateButton.hidden = !session.canWrite()
  }
  canvas.on('selection', refresh)
  session.on('access', refresh)
  return el
}
