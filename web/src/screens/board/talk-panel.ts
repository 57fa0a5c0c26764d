/** A note's thread: its reactions (one button per emoji, one's own pressed), its comments (read, add, delete one's own), and the facilitator's "Effacer"; kept live while open. */
import { bindAttr, bindText, t } from '../../i18n'
import { MAX_COMMENT_CHARS, MAX_COMMENTS_PER_NOTE, REACTIONS } from '../../board/reactions'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'
import { Role } from '../../sync/protocol'
import { noteExcerpt, reactionName } from './note-talk'

export class TalkPanel {
  readonly el: HTMLElement
  private readonly excerpt = h('p', { class: 'talk__note' })
  private readonly reactions = h('div', { class: 'talk__reactions', attrs: { role: 'group' } })
  private readonly list = h('ol', { class: 'talk__comments' })
  private readonly empty = bindText(h('p', { class: 'talk__empty' }), 'comment.none')
  private readonly textarea = h('textarea', { class: 'talk__input', attrs: { rows: 3, maxlength: MAX_COMMENT_CHARS, id: 'talk-input' } })
  private readonly counter = h('span', { class: 'talk__counter', attrs: { 'aria-live': 'polite' } })
  private readonly form: HTMLFormElement
  private readonly clear: HTMLButtonElement
  private noteId: string | null = null
  private opener: HTMLElement | null = null
  private offTalk: (() => void) | null = null

  constructor(private readonly session: BoardSession) {
    const titleId = 'talk-panel-title'
    const close = bindText(h('button', { class: 'button button--small', attrs: { type: 'button' }, on: { click: () => this.close() } }), 'share.close')
    bindAttr(this.reactions, 'aria-label', 'reaction.pick')
    const label = bindText(h('label', { attrs: { for: 'talk-input' } }), 'comment.label')
    const send = bindText(h('button', { class: 'button button--primary', attrs: { type: 'submit' } }), 'comment.send')
    this.form = h('form', { class: 'talk__form' }, [label, this.textarea, this.counter, send])
    this.form.addEventListener('submit', (event) => {
      event.preventDefault()
      this.send()
    })
    this.textarea.addEventListener('input', () => this.paintCounter())
    this.textarea.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault()
        this.send()
      }
    })
    this.clear = bindText(h('button', { class: 'button button--danger button--small', attrs: { type: 'button', 'data-action': 'clear-talk' }, on: { click: () => this.clearNote() } }), 'comment.clear')
    this.el = h('aside', { class: 'side-panel talk-panel', attrs: { id: 'talk-panel', hidden: true, 'aria-labelledby': titleId } }, [
      h('div', { class: 'side-panel__head' }, [bindText(h('h2', { attrs: { id: titleId } }), 'comment.title'), close]),
      h('div', { class: 'side-panel__body' }, [this.excerpt, this.reactions, this.list, this.empty, this.form, this.clear]),
    ])
    this.el.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.defaultPrevented) this.close()
    })
    session.on('model', () => this.bind())
    session.on('rights', () => this.render())
    session.on('layout', () => this.render())
    session.on('notes', (ids) => {
      if (this.noteId !== null && ids.has(this.noteId)) {
        if (session.model.get(this.noteId)) this.render()
        else this.close()
      }
    })
  }

  get isOpen(): boolean {
    return !this.el.hidden
  }

  /** Shows a note's thread; `from` gets the focus back when it closes. */
  open(noteId: string, from: HTMLElement | null): void {
    this.noteId = noteId
    this.opener = from
    this.el.hidden = false
    this.textarea.value = ''
    this.bind()
    this.paintCounter()
    ;(this.session.canWrite() ? this.textarea : this.el.querySelector<HTMLElement>('.side-panel__head button'))?.focus()
  }

  close(): void {
    if (this.el.hidden) return
    this.el.hidden = true
    this.noteId = null
    this.offTalk?.()
    this.offTalk = null
    if (this.opener?.isConnected) this.opener.focus()
    this.opener = null
  }

  private bind(): void {
    this.offTalk?.()
    this.offTalk = null
    if (this.noteId === null) return
    this.offTalk = this.session.talk.observe((ids) => {
      if (this.noteId !== null && ids.has(this.noteId)) this.render()
    })
    this.render()
  }

  private render(): void {
    const noteId = this.noteId
    if (noteId === null || this.el.hidden) return
    const { session } = this
    const note = session.model.get(noteId)
    this.excerpt.textContent = noteExcerpt(note?.text ?? '')
    const canWrite = session.canWrite() && note?.private !== true
    const counts = new Map(session.talk.reactionsOf(noteId, session.participantId).map((r) => [r.emoji, r]))
    this.reactions.replaceChildren(...REACTIONS.map((emoji) => {
      const shown = counts.get(emoji)
      const button = h('button', { class: 'talk__reaction', attrs: { type: 'button', 'aria-pressed': String(shown?.mine ?? false), 'data-reaction': emoji } }, [
        h('span', { attrs: { 'aria-hidden': 'true' }, text: emoji }),
        h('span', { class: 'note__reaction-count', text: String(shown?.count ?? 0) }),
      ])
      const label = t(shown?.mine ? 'reaction.countMine' : 'reaction.count', { emoji: reactionName(emoji), count: shown?.count ?? 0 })
      button.setAttribute('aria-label', label)
      button.title = label
      button.disabled = !canWrite
      button.addEventListener('click', () => session.talk.toggle(noteId, emoji, session.participantId))
      return button
    }))
    const comments = session.talk.commentsOf(noteId)
    const anonymous = session.meta.anonymous
    const focusedId = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-comment]')?.dataset.comment
    this.list.replaceChildren(...comments.map((comment) => {
      const who = anonymous ? '' : comment.author || t('comment.someone')
      const item = h('li', { class: 'talk__comment', attrs: { 'data-comment': comment.id } }, [
        ...(who ? [h('span', { class: 'talk__author', text: who })] : []),
        h('p', { class: 'talk__text', text: comment.text }),
      ])
      if (canWrite && session.mayRemoveTalk(comment.authorId)) {
        const remove = bindText(h('button', { class: 'button button--small', attrs: { type: 'button', 'data-delete-comment': comment.id } }), 'comment.delete')
        bindAttr(remove, 'aria-label', 'comment.deleteNamed', { text: noteExcerpt(comment.text) })
        remove.addEventListener('click', () => {
          session.talk.deleteComment(comment.id)
          this.textarea.focus()
        })
        item.append(remove)
      }
      return item
    }))
    if (focusedId) this.list.querySelector<HTMLElement>(`[data-comment="${CSS.escape(focusedId)}"] button`)?.focus()
    this.empty.hidden = comments.length > 0
    const full = comments.length >= MAX_COMMENTS_PER_NOTE
    this.form.hidden = !canWrite
    this.textarea.disabled = full
    if (full) bindText(this.counter, 'comment.full', { max: MAX_COMMENTS_PER_NOTE })
    else this.paintCounter()
    this.clear.hidden = session.role !== Role.FACILITATOR || (comments.length === 0 && counts.size === 0)
  }

  private paintCounter(): void {
    const left = MAX_COMMENT_CHARS - this.textarea.value.length
    bindText(this.counter, 'comment.left', { count: left })
  }

  private send(): void {
    const text = this.textarea.value.trim()
    const noteId = this.noteId
    if (!text || noteId === null || !this.session.canWrite()) return
    this.session.talk.comment(noteId, text, { participantId: this.session.participantId, name: this.session.name }, this.session.clock.now())
    this.textarea.value = ''
    this.paintCounter()
    this.textarea.focus()
  }

  private clearNote(): void {
    if (this.noteId === null || this.session.role !== Role.FACILITATOR) return
    this.session.talk.clear(this.noteId)
    this.session.notify(t('comment.cleared'))
    this.textarea.focus()
  }
}
