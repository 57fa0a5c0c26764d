/** Binds a <textarea> to a note's Y.Text, so that two people typing in one note both keep their words. */
// Local input becomes the smallest Y.Text edit, and remote edits update the textarea while keeping
// the caret where the person was typing.
import type * as Y from 'yjs'
import { LOCAL } from './model'

export interface TextEdit {
  index: number
  remove: number
  insert: string
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff

/**
 * The edit turning `before` into `after`. `caret` (where the caret is after the input) settles
 * ambiguous cases: typing "a" after the first "a" of "aa" inserts at 1, not at 2, which matters
 * when someone else is typing in the same place. Never splits a surrogate pair (Y.Text counts
 * UTF-16 units, like JavaScript strings).
 */
export function diffText(before: string, after: string, caret = after.length): TextEdit {
  let start = 0
  const shortest = Math.min(before.length, after.length)
  while (start < shortest && before.charCodeAt(start) === after.charCodeAt(start)) start++
  // The inserted text ends at the caret, so the common prefix cannot reach past caret - growth.
  start = Math.min(start, Math.max(0, caret - Math.max(0, after.length - before.length)))
  let endBefore = before.length
  let endAfter = after.length
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--
    endAfter--
  }
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--
  if (endBefore < before.length && isLowSurrogate(before.charCodeAt(endBefore))) {
    endBefore++
    endAfter++
  }
  return { index: start, remove: endBefore - start, insert: after.slice(start, endAfter) }
}

export type Delta = Array<{ insert?: unknown; delete?: number; retain?: number }>

/**
 * Where an index ends up after a remote edit. Text inserted exactly at the index goes after it
 * (the caret stays put): two people typing at one spot then write word after word, instead of
 * pushing each other's caret and mixing their letters.
 */
export function transformIndex(index: number, delta: Delta): number {
  let pos = 0
  let result = index
  for (const op of delta) {
    if (op.retain !== undefined) {
      pos += op.retain
    } else if (op.insert !== undefined) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1
      if (pos < result) result += length
      pos += length
    } else if (op.delete !== undefined) {
      if (pos < result) result -= Math.min(op.delete, result - pos)
    }
    if (pos > result) break
  }
  return result
}

export class TextBinding {
  private composing = false
  /** The Y.Text content the textarea last showed: the base of the next local diff. */
  private shown: string
  private pendingRemote: Delta[] = []
  private readonly observer: (event: Y.YTextEvent, transaction: Y.Transaction) => void
  private applying = false

  constructor(
    private readonly textarea: HTMLTextAreaElement,
    private readonly ytext: Y.Text,
    private readonly maxChars: number,
    /** Text went past the limit and was cut: `dropped` characters were not kept. */
    private readonly onLimit: (dropped: number) => void,
  ) {
    this.shown = ytext.toString()
    textarea.value = this.shown
    this.observer = (event) => {
      if (this.applying) return
      if (this.composing) {
        // Rewriting the textarea during an IME composition would break it: catch up at its end.
        this.pendingRemote.push(event.delta as Delta)
        return
      }
      this.refresh(event.delta as Delta)
    }
    ytext.observe(this.observer)
    textarea.addEventListener('input', this.onInput)
    textarea.addEventListener('compositionstart', this.onCompositionStart)
    textarea.addEventListener('compositionend', this.onCompositionEnd)
  }

  destroy(): void {
    this.ytext.unobserve(this.observer)
    this.textarea.removeEventListener('input', this.onInput)
    this.textarea.removeEventListener('compositionstart', this.onCompositionStart)
    this.textarea.removeEventListener('compositionend', this.onCompositionEnd)
  }

  private readonly onInput = (): void => {
    if (this.composing) return
    this.applyLocal(this.textarea.value, [])
  }

  private readonly onCompositionStart = (): void => {
    this.composing = true
  }

  private readonly onCompositionEnd = (): void => {
    this.composing = false
    const remote = this.pendingRemote
    this.pendingRemote = []
    this.applyLocal(this.textarea.value, remote)
  }

  /** Applies what the person typed, relative to `shown`, moved past remote edits made meanwhile. */
  private applyLocal(value: string, remoteSince: Delta[]): void {
    const edit = diffText(this.shown, value, this.textarea.selectionEnd)
    let index = edit.index
    let end = edit.index + edit.remove
    for (const delta of remoteSince) {
      index = transformIndex(index, delta)
      end = Math.max(index, transformIndex(end, delta))
    }
    let insert = edit.insert
    const room = this.maxChars - (this.ytext.length - (end - index))
    if (insert.length > room) {
      const typed = insert.length
      insert = insert.slice(0, Math.max(0, room))
      if (insert.length > 0 && isHighSurrogate(insert.charCodeAt(insert.length - 1))) insert = insert.slice(0, -1)
      this.onLimit(typed - insert.length)
    }
    this.applying = true
    try {
      this.ytext.doc?.transact(() => {
        if (end > index) this.ytext.delete(index, end - index)
        if (insert) this.ytext.insert(index, insert)
      }, LOCAL)
    } finally {
      this.applying = false
    }
    const caret = index + insert.length
    if (this.ytext.toString() !== value || remoteSince.length > 0) {
      this.shown = this.ytext.toString()
      this.textarea.value = this.shown
      this.textarea.setSelectionRange(caret, caret)
    } else {
      this.shown = value
    }
  }

  /** Shows remote edits (or undo) without moving the person's caret or selection. */
  private refresh(delta: Delta): void {
    const start = transformIndex(this.textarea.selectionStart, delta)
    const end = transformIndex(this.textarea.selectionEnd, delta)
    const direction = this.textarea.selectionDirection
    this.shown = this.ytext.toString()
    this.textarea.value = this.shown
    if (document.activeElement === this.textarea) this.textarea.setSelectionRange(start, end, direction ?? 'none')
  }
}
