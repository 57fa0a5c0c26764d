/** How one note looks on the canvas: its element, and painting its data, place and marks onto it. */
import { bindAttr, t } from '../i18n'
import { fillWithLinks } from '../lib/links'
import { h } from '../lib/dom'
import type { Rect } from './geometry'
import type { NoteData } from './model'

/** Below this size (two thirds of the usual one) a note's text and padding are smaller. */
const SMALL_NOTE = { w: 120, h: 80 }

export interface NoteView {
  el: HTMLElement
  /** An image note's picture; null on a text note (made when a note shows one). */
  picture: HTMLImageElement | null
  text: HTMLElement
  author: HTMLElement
  /** The "…" shown when the text does not fit the note. */
  more: HTMLElement
  mounted: boolean
  /** The text and size last measured for clipping (see `measureClipping`). */
  measured: string
}

/** What a note shows besides its data: the local state and others' marks. */
export interface NoteMarks {
  selected: boolean
  editing: boolean
  /** Found by the search field; `current`: the found note the view went to; `dimmed`: not found while filtering. */
  found: boolean
  current: boolean
  dimmed: boolean
  /** Moved by a live drag, this person's or someone else's. */
  moving: boolean
  resizable: boolean
  /** This person may change the note; otherwise it is drawn fixed (the default cursor, no handle). */
  changeable: boolean
  /** This person's drag or resize in progress: drawn above every other note. */
  lifted: boolean
  anonymous: boolean
  editor: { name: string; color: string } | undefined
  mover: { color: string } | undefined
  /** An image note's picture: its URL once fetched (null meanwhile), or missing on the board. */
  picture: { url: string | null; missing: boolean } | null
}

/** What a screen reader says of an image note: "Image", then its caption. */
export function pictureAlt(data: NoteData): string {
  return data.text.trim() ? t('image.label', { caption: data.text.slice(0, 200) }) : t('image.alt')
}

export function createNoteView(id: string): NoteView {
  const text = h('div', { class: 'note__text' })
  const author = h('div', { class: 'note__author' })
  // Its "…" is CSS content: the note's text content stays the note's text.
  const more = h('div', { class: 'note__more', attrs: { 'aria-hidden': 'true' } })
  const el = h('div', { class: 'note', attrs: { 'data-note': id, tabindex: 0, role: 'button' } }, [
    text,
    more,
    author,
    h('div', { class: 'note__resize', attrs: { 'aria-hidden': 'true', 'data-resize': id } }),
  ])
  bindAttr(el, 'aria-roledescription', 'note.roledescription')
  return { el, picture: null, text, author, more, mounted: false, measured: '' }
}

/**
 * Marks the notes whose text does not fit: a "…" and the whole text as a tooltip (issue 22: a long
 * note was cut with no sign). All reads first, then all writes, so a frame lays out once; a note is
 * measured again only when its text or size changed.
 */
export function measureClipping(views: Iterable<{ view: NoteView; data: NoteData }>): void {
  const measured: Array<{ view: NoteView; data: NoteData; key: string; clipped: boolean }> = []
  for (const { view, data } of views) {
    if (!view.mounted || view.text.hidden) continue
    const key = `${view.el.style.width}|${view.el.style.height}|${data.text}`
    if (key === view.measured) continue
    measured.push({ view, data, key, clipped: false })
  }
  for (const entry of measured) entry.clipped = entry.view.text.scrollHeight > entry.view.text.clientHeight + 1
  for (const { view, data, key, clipped } of measured) {
    view.measured = key
    view.el.classList.toggle('is-clipped', clipped)
    if (clipped) view.el.title = data.text
    else view.el.removeAttribute('title')
  }
}

export function paintNote(view: NoteView, data: NoteData, rect: Rect, marks: NoteMarks): void {
  const { el } = view
  const clipped = el.classList.contains('is-clipped')
  el.className = `note note--${data.color}`
  el.classList.toggle('is-clipped', clipped)
  el.classList.toggle('is-selected', marks.selected)
  el.classList.toggle('is-editing', marks.editing)
  el.classList.toggle('is-found', marks.found)
  el.classList.toggle('is-found-current', marks.current)
  el.classList.toggle('is-dimmed', marks.dimmed)
  el.classList.toggle('is-moving', marks.moving)
  el.classList.toggle('is-resizable', marks.resizable)
  el.classList.toggle('is-fixed', !marks.changeable)
  // A small note (a roadmap cell's six, placement.ts) is written smaller: at the usual 16 px, one
  // word showed.
  el.classList.toggle('is-small', rect[2] < SMALL_NOTE.w || rect[3] < SMALL_NOTE.h)
  placeBox(el, rect)
  paintPicture(view, data, marks.picture)
  el.style.zIndex = String(marks.lifted ? 1_000_000 : Math.round(data.z))
  // Text, never HTML: text nodes, and its http(s) addresses as links (out of the Tab order: Tab
  // goes from note to note; the list view's links are reachable by keyboard).
  if (view.text.textContent !== data.text) fillWithLinks(view.text, data.text, false)
  view.text.classList.toggle('is-empty', data.text === '')
  const authorName = marks.anonymous ? '' : data.author
  if (view.author.textContent !== authorName) view.author.textContent = authorName
  el.setAttribute('aria-pressed', marks.selected ? 'true' : 'false')
  const label = data.imageId ? pictureAlt(data) : data.text.trim() ? data.text.slice(0, 200) : t('note.empty')
  const { editor, mover } = marks
  el.setAttribute('aria-label', authorName ? t('note.labelWithAuthor', { text: label, author: authorName }) : label)
  if (editor) {
    el.classList.add('is-remote-editing')
    el.style.setProperty('--peer-color', safeColor(editor.color))
    el.setAttribute('data-editor', t('note.remoteEditing', { name: editor.name }))
  } else {
    el.removeAttribute('data-editor')
  }
  if (mover && !editor) el.style.setProperty('--peer-color', safeColor(mover.color))
}

function paintPicture(view: NoteView, data: NoteData, picture: NoteMarks['picture']): void {
  const { el } = view
  el.classList.toggle('note--image', picture !== null)
  el.classList.toggle('is-picture-missing', picture?.missing === true)
  if (picture === null) {
    view.picture?.remove()
    view.picture = null
    view.text.removeAttribute('data-missing')
    return
  }
  if (!view.picture) {
    // Never dragged by the browser itself: a drag moves the note.
    view.picture = h('img', { class: 'note__picture', attrs: { draggable: 'false', alt: '' } })
    el.prepend(view.picture)
  }
  const img = view.picture
  img.hidden = picture.url === null
  if (picture.url === null) {
    if (img.hasAttribute('src')) img.removeAttribute('src')
  } else if (img.getAttribute('src') !== picture.url) {
    img.src = picture.url
  }
  img.alt = pictureAlt(data)
  view.text.setAttribute('data-missing', t('image.missing'))
}

export function placeBox(el: HTMLElement, [x, y, w, h]: Rect): void {
  el.style.transform = `translate(${x}px, ${y}px)`
  el.style.width = `${w}px`
  el.style.height = `${h}px`
}

/** Peer colours come from other clients: only a plain hex colour reaches a style property. */
export function safeColor(value: unknown): string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value) ? value : '#5b5b5b'
}
