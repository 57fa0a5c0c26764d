/** Keeps the canvas in step with the board session (model, zones, permissions and which notes one may change, others' presence), and its input and edits flowing back. */
import { onLocaleChange, t } from '../../i18n'
import { BoardKeys } from '../../board/board-keys'
import { ClipboardInput } from '../../board/clipboard-input'
import { ImageInput } from '../../board/image-input'
import type { BoardCanvas } from '../../board/canvas'
import { PointerGestures } from '../../board/pointer-gestures'
import type { BoardSession } from '../../session/board-session'
import { Role } from '../../sync/protocol'

// The lock reaches this browser a little after the server applied it, and the last keystrokes
// take a little to reach the server: the editor closes this much before the server's grace ends.
const LOCK_GRACE_MARGIN_MS = 1500
// What the server grants when its welcome does not say (docs/protocol.md section 7.1).
const DEFAULT_LOCK_GRACE_MS = 6000

/** How long this client keeps a note being written open after a lock (the canvas's editor, the idea form). */
export function clientLockGraceMs(session: BoardSession): number {
  return (session.limits.lockGraceMs ?? DEFAULT_LOCK_GRACE_MS) - LOCK_GRACE_MARGIN_MS
}

/** A lock that comes while this participant is writing a note: they see it, and may finish their sentence. */
function keepWritingThroughLock(canvas: BoardCanvas, session: BoardSession): void {
  const ms = clientLockGraceMs(session)
  if (ms <= 0 || canvas.keepEditingThroughLock(ms) === null) return
  session.notify(t('lock.grace', { seconds: Math.floor(ms / 1000) }))
}

/** Returns the clipboard input, which the toolbar's "Dupliquer" uses. */
export function connectCanvas(canvas: BoardCanvas, session: BoardSession): ClipboardInput {
  const gestures = new PointerGestures(canvas, session.commands, session.presence)
  new BoardKeys(canvas, session.commands, gestures)
  const clipboard = new ClipboardInput(canvas, session.commands)
  new ImageInput(canvas, session.commands)
  canvas.setPictures((imageId) => ({ url: session.pictures.url(imageId), missing: session.pictures.isMissing(imageId) }))
  session.pictures.on('changed', (imageId) => canvas.pictureChanged(imageId))
  session.on('model', (model) => canvas.setModel(model))
  session.on('layout', ({ zonesChanged }) => {
    if (zonesChanged) canvas.setZones(session.zones)
    canvas.setAnonymous(session.meta.anonymous)
  })
  let wasLocked = false
  session.on('access', () => {
    const justLocked = session.meta.locked && !wasLocked
    wasLocked = session.meta.locked
    if (justLocked && session.role === Role.PARTICIPANT) keepWritingThroughLock(canvas, session)
    canvas.setReadOnly(!session.canWrite())
  })
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
