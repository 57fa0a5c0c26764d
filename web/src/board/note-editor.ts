/** The textarea that edits a note in place, bound to the note's Y.Text, and taken away when the edit ends. */
import type * as Y from 'yjs'
import { bindAttr } from '../i18n'
import { h } from '../lib/dom'
import type { NoteView } from './note-look'
import { TextBinding } from './text-binding'

export class NoteEditor {
  readonly textarea: HTMLTextAreaElement
  private readonly binding: TextBinding

  constructor(readonly id: string, readonly isNew: boolean, view: NoteView, text: Y.Text, maxChars: number, onTextLimit: (dropped: number) => void) {
    // No `maxlength`: the browser would cut a long paste silently; the binding cuts it and says so.
    this.textarea = h('textarea', { class: 'note__editor', attrs: { spellcheck: 'true' } })
    bindAttr(this.textarea, 'aria-label', 'note.editLabel')
    this.binding = new TextBinding(this.textarea, text, maxChars, onTextLimit)
    view.text.hidden = true
    view.el.insertBefore(this.textarea, view.author)
    view.el.classList.add('is-editing')
  }

  /** Focus with the caret after the text, without scrolling the page (the canvas reveals the note). */
  focusAtEnd(): void {
    this.textarea.focus({ preventScroll: true })
    this.textarea.setSelectionRange(this.textarea.value.length, this.textarea.value.length)
  }

  /** Ends the edit; `view` is the note's element if it is still there. */
  close(view: NoteView | undefined): void {
    this.binding.destroy()
    this.textarea.remove()
    if (view) {
      view.text.hidden = false
      view.el.classList.remove('is-editing')
    }
  }
}
