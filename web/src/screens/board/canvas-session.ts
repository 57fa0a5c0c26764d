/** Keeps the canvas in step with the board session (model, zones, permissions and which notes one may change, others' presence), and its input and edits flowing back. */
import { onLocaleChange } from '../../i18n'
import { BoardKeys } from '../../board/board-keys'
import { ClipboardInput } from '../../board/clipboard-input'
import type { BoardCanvas } from '../../board/canvas'
import { PointerGestures } from '../../board/pointer-gestures'
import type { BoardSession } from '../../session/board-session'

/** Returns the clipboard input, which the toolbar's "Dupliquer" uses. */
export function connectCanvas(canvas: BoardCanvas, session: BoardSession): ClipboardInput {
  const gestures = new PointerGestures(canvas, session.commands, session.presence)
  new BoardKeys(canvas, session.commands, gestures)
  const clipboard = new ClipboardInput(canvas, session.commands)
  session.on('model', (model) => canvas.setModel(model))
  session.on('layout', ({ zonesChanged }) => {
    if (zonesChanged) canvas.setZones(session.zones)
    canvas.setAnonymous(session.meta.anonymous)
  })
  session.on('access', () => canvas.setReadOnly(!session.canWrite()))
  canvas.setRights((note) => session.mayChangeNote(note))
  session.on('rights', () => canvas.rightsChanged())
  session.on('welcome', () => {
    canvas.maxNoteChars = session.limits.maxNoteChars
  })
  session.on('presence', () => canvas.setRemote(session.presence.others()))
  // Writing a private note is not announced: presence reaches everyone (docs/protocol.md 7.2).
  canvas.on('editing', (id) => session.presence.update({ editing: id !== null && session.model.get(id)?.private ? null : id }))
  canvas.on('editEnd', ({ id, isNew }) => session.commands.editEnded(id, isNew))
  canvas.on('textLimit', (dropped) => session.commands.textLimit(dropped))
  onLocaleChange(() => {
    canvas.setRemote(session.presence.others())
    canvas.invalidate([...canvas.notes()].map((n) => n.id))
  })
  return clipboard
}
