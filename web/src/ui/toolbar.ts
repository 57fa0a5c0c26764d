/**
 * The board toolbar: add a note, colour, delete, undo and redo, zoom. Its `facilitator` slot holds
 * the facilitator's controls (the lock today; voting and the timer will join it).
 */
import { type Key, bindAttr, bindText } from '../i18n'
import { PALETTE, type PaletteName } from '../board/model'
import { h } from './dom'

export interface ToolbarActions {
  add(): void
  color(color: PaletteName): void
  remove(): void
  undo(): void
  redo(): void
  zoomIn(): void
  zoomOut(): void
  fit(): void
}

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

  constructor(actions: ToolbarActions) {
    this.addButton = button('toolbar.add', actions.add, 'button--primary', 'N')
    this.addButton.prepend(h('span', { class: 'icon icon--plus', attrs: { 'aria-hidden': 'true' } }))
    this.removeButton = button('toolbar.delete', actions.remove, '', 'Delete', false)
    this.undoButton = iconButton('toolbar.undo', '↶', actions.undo)
    this.undoButton.setAttribute('aria-keyshortcuts', 'Control+Z')
    this.redoButton = iconButton('toolbar.redo', '↷', actions.redo)
    this.redoButton.setAttribute('aria-keyshortcuts', 'Control+Shift+Z')
    const palette = h('div', { class: 'palette', attrs: { role: 'group' } }, PALETTE.map((color) => {
      const swatch = h('button', { class: `swatch swatch--${color}`, attrs: { type: 'button', 'aria-pressed': 'false' }, on: { click: () => actions.color(color) } })
      bindAttr(swatch, 'aria-label', `color.${color}`)
      bindAttr(swatch, 'title', `color.${color}`)
      // Keep the note being edited open when a colour is picked with the mouse.
      swatch.addEventListener('mousedown', (event) => event.preventDefault())
      this.swatches.set(color, swatch)
      return swatch
    }))
    bindAttr(palette, 'aria-label', 'toolbar.palette')
    const edit = h('div', { class: 'toolbar__group' }, [this.addButton, palette, this.removeButton])
    const history = h('div', { class: 'toolbar__group' }, [this.undoButton, this.redoButton])
    const zoom = h('div', { class: 'toolbar__group toolbar__group--zoom' }, [
      iconButton('toolbar.zoomOut', '−', actions.zoomOut),
      this.zoomLabel,
      iconButton('toolbar.zoomIn', '+', actions.zoomIn),
      button('toolbar.fit', actions.fit),
    ])
    this.editGroups = [edit, history]
    this.el = h('div', { class: 'toolbar', attrs: { role: 'toolbar' } }, [edit, history, zoom, this.facilitator])
    bindAttr(this.el, 'aria-label', 'toolbar.label')
  }

  update(state: { writable: boolean; selection: number; color: PaletteName; canUndo: boolean; canRedo: boolean; zoom: number }): void {
    for (const group of this.editGroups) group.hidden = !state.writable
    this.removeButton.disabled = state.selection === 0
    this.undoButton.disabled = !state.canUndo
    this.redoButton.disabled = !state.canRedo
    for (const [color, swatch] of this.swatches) swatch.setAttribute('aria-pressed', String(color === state.color))
    this.zoomLabel.textContent = `${Math.round(state.zoom * 100)} %`
  }

  focusAdd(): void {
    this.addButton.focus()
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
