/** The board toolbar: add a note, colour, delete, undo and redo, zoom; its `facilitator` group holds the facilitator's controls. */
import { type Key, bindAttr, bindText } from '../../i18n'
import type { BoardCanvas } from '../../board/canvas'
import { PALETTE, type PaletteName } from '../../board/model'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'
import { bindColorAttr, onLegend } from './legend'

export class Toolbar {
  readonly el: HTMLElement
  readonly facilitator = h('div', { class: 'toolbar__group toolbar__group--facilitator' })
  private readonly addButton: HTMLButtonElement
  private readonly removeButton: HTMLButtonElement
  private readonly undoButton: HTMLButtonElement
  private readonly redoButton: HTMLButtonElement
  private readonly swatches = new Map<PaletteName, HTMLButtonElement>()
  private readonly zoomLabel = h('span', { class: 'toolbar__zoom', attrs: { 'aria-live': 'off' } })
  private readonly editGroups: HTMLElement[]

  /** `fit`: "Tout voir". */
  constructor(private readonly session: BoardSession, private readonly canvas: BoardCanvas, fit: () => void) {
    const { commands } = session
    this.addButton = button('toolbar.add', () => this.addInView(), 'button--primary', 'N')
    this.addButton.prepend(h('span', { class: 'icon icon--plus', attrs: { 'aria-hidden': 'true' } }))
    this.removeButton = button('toolbar.delete', () => commands.deleteNotes([...canvas.selection]), '', 'Delete', false)
    this.undoButton = iconButton('toolbar.undo', '↶', () => commands.undo())
    this.undoButton.setAttribute('aria-keyshortcuts', 'Control+Z')
    this.redoButton = iconButton('toolbar.redo', '↷', () => commands.redo())
    this.redoButton.setAttribute('aria-keyshortcuts', 'Control+Shift+Z')
    const palette = h('div', { class: 'palette', attrs: { role: 'group' } }, PALETTE.map((color) => {
      const swatch = h('button', { class: `swatch swatch--${color}`, attrs: { type: 'button', 'aria-pressed': 'false', 'data-color': color }, on: { click: () => this.pickColor(color) } })
      // Keep the note being edited open when a colour is picked with the mouse.
      swatch.addEventListener('mousedown', (event) => event.preventDefault())
      this.swatches.set(color, swatch)
      return swatch
    }))
    bindAttr(palette, 'aria-label', 'toolbar.palette')
    // The legend's words on the swatches: "Jaune : idée" to read and hear, the label to see.
    onLegend(session, (legend) => {
      for (const [color, swatch] of this.swatches) {
        bindColorAttr(swatch, 'aria-label', color, legend)
        bindColorAttr(swatch, 'title', color, legend)
        const label = legend[color] ?? ''
        swatch.classList.toggle('has-name', label !== '')
        swatch.replaceChildren(...(label ? [h('span', { class: 'swatch__name', attrs: { 'aria-hidden': 'true' }, text: label })] : []))
      }
    })
    const edit = h('div', { class: 'toolbar__group' }, [this.addButton, palette, this.removeButton])
    const history = h('div', { class: 'toolbar__group' }, [this.undoButton, this.redoButton])
    const zoom = h('div', { class: 'toolbar__group toolbar__group--zoom' }, [
      iconButton('toolbar.zoomOut', '−', () => canvas.zoomBy(1 / 1.2)),
      this.zoomLabel,
      iconButton('toolbar.zoomIn', '+', () => canvas.zoomBy(1.2)),
      button('toolbar.fit', fit),
    ])
    this.editGroups = [edit, history]
    this.el = h('div', { class: 'toolbar', attrs: { role: 'toolbar' } }, [edit, history, zoom, this.facilitator])
    bindAttr(this.el, 'aria-label', 'toolbar.label')
    canvas.on('selection', () => this.refresh())
    canvas.on('view', () => this.refresh())
    session.on('history', () => this.refresh())
    session.on('color', () => this.refresh())
    session.on('access', () => this.refresh())
  }

  private refresh(): void {
    const { session, canvas } = this
    for (const group of this.editGroups) group.hidden = !session.canWrite()
    this.removeButton.disabled = canvas.selection.size === 0
    this.undoButton.disabled = !session.undo.canUndo
    this.redoButton.disabled = !session.undo.canRedo
    for (const [color, swatch] of this.swatches) swatch.setAttribute('aria-pressed', String(color === session.color))
    this.zoomLabel.textContent = `${Math.round(canvas.view.zoom * 100)} %`
  }

  /** A new note in the zone at the middle of the view, ready for typing. */
  private addInView(): void {
    const { canvas } = this
    const box = canvas.el.getBoundingClientRect()
    const [cx, cy] = [(box.width / 2 - canvas.view.x) / canvas.view.zoom, (box.height / 2 - canvas.view.y) / canvas.view.zoom]
    const id = this.session.commands.createNoteAt(cx, cy)
    if (id) canvas.startEdit(id, true)
  }

  /** The colour of the next notes, and of the selected ones. */
  private pickColor(color: PaletteName): void {
    this.session.setColor(color)
    this.session.commands.recolor(this.canvas.selection, color)
  }
}

function button(key: Key, onClick: () => void, extra = '', shortcut?: string, showShortcut = true): HTMLButtonElement {
  const el = h('button', { class: `button ${extra}`, attrs: { type: 'button' }, on: { click: onClick } })
  el.append(bindText(h('span'), key))
  if (shortcut) {
    el.setAttribute('aria-keyshortcuts', shortcut)
    if (showShortcut) el.append(h('kbd', { class: 'toolbar__kbd', attrs: { 'aria-hidden': 'true' }, text: shortcut }))
  }
  return el
}

function iconButton(key: Key, symbol: string, onClick: () => void): HTMLButtonElement {
  const el = h('button', { class: 'button button--icon', attrs: { type: 'button' }, on: { click: onClick }, text: symbol })
  bindAttr(el, 'aria-label', key)
  bindAttr(el, 'title', key)
  return el
}
