/** "Ajouter une idée": a big text box, a colour and the zone it goes to (the phone screen and the list view). */
import { bindAttr, bindText } from '../../i18n'
import { type Legend, PALETTE, type PaletteName, newId } from '../../board/model'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'
import { type IdeaDraft, type IdeaLanding, zoneName } from '../../session/note-commands'
import { Role } from '../../sync/protocol'
import { clientLockGraceMs } from './canvas-session'
import { bindColorAttr, onLegend } from './legend'

/** Adds the note; returns where it landed, or null if refused. */
export type SubmitIdea = (text: string, color: PaletteName, zoneId: string | null, draft: IdeaDraft) => IdeaLanding | null
/** Sends a photo (or a chosen image) as an image note with `caption`; resolves to whether it was added. */
export type SubmitPhoto = (file: File, caption: string, color: PaletteName, zoneId: string | null) => Promise<boolean>

export interface IdeaForm {
  el: HTMLFormElement
  focus(): void
  /** The board was locked while this form was being written: it may still be sent, for a little while. */
  inGrace(): boolean
}

/** `idPrefix` keeps the ids of two forms on one page apart; `onGraceEnd`: the lock's grace is over; `onPhoto`: sends a picture (the "Photo" button). */
export function ideaForm(session: BoardSession, idPrefix: string, onSubmit: SubmitIdea, onGraceEnd: () => void = () => {}, onPhoto?: SubmitPhoto): IdeaForm {
  const p = idPrefix
  const maxChars = (): number => session.limits.maxNoteChars
  // No `maxlength`: the browser would cut a long paste silently; the text is cut below, and said.
  const textarea = h('textarea', { class: 'idea__text', attrs: { id: `${p}-text`, rows: 4, required: true } })
  bindAttr(textarea, 'placeholder', 'idea.placeholder')
  const counter = h('span', { class: 'idea__counter', attrs: { id: `${p}-counter` } })
  textarea.setAttribute('aria-describedby', counter.id)
  const updateCounter = (): void => {
    const max = maxChars()
    bindText(counter, 'idea.counter', { count: textarea.value.length, max })
    counter.classList.toggle('is-full', textarea.value.length >= max)
  }

  const swatches = h('div', { class: 'palette palette--large' })
  const paintSwatches = (legend: Legend): void => {
    const checked = swatches.querySelector<HTMLInputElement>('input:checked')?.value ?? session.color
    swatches.replaceChildren(...PALETTE.map((color) => {
      const input = h('input', { attrs: { type: 'radio', name: `${p}-color`, value: color, id: `${p}-color-${color}` } })
      input.checked = color === checked
      input.addEventListener('change', () => session.setColor(color))
      const label = h('label', { class: `swatch swatch--${color}`, attrs: { for: input.id } }, [
        bindText(h('span', { class: 'visually-hidden' }), `color.${color}`),
      ])
      bindColorAttr(label, 'title', color, legend)
      // The legend's label under the colour, part of the choice's name ("Jaune idée").
      const name = legend[color] ? h('label', { class: 'swatch-choice__name', attrs: { for: input.id }, text: legend[color] }) : null
      return h('span', { class: 'swatch-choice' }, [input, label, name])
    }))
  }
  onLegend(session, paintSwatches)

  const zoneSelect = h('select', { class: 'idea__zone', attrs: { id: `${p}-zone` } })
  const zoneField = h('div', { class: 'field' }, [bindText(h('label', { attrs: { for: zoneSelect.id } }), 'idea.zone'), zoneSelect])
  const refreshZones = (): void => {
    const zones = session.zones
    const previous = zoneSelect.value
    zoneSelect.replaceChildren(
      ...zones.map((zone) => h('option', { attrs: { value: zone.id }, text: zoneName(zone) })),
      bindText(h('option', { attrs: { value: '' } }), 'idea.noZone'),
    )
    zoneSelect.value = zones.some((z) => z.id === previous) ? previous : (zones[0]?.id ?? '')
    zoneField.hidden = zones.length === 0
  }
  refreshZones()

  const message = h('p', { class: 'idea__message', attrs: { role: 'status' } })

  // The note being written here has its id already, announced in presence (`editing`) while there
  // is text, as the canvas's editor announces its note: a lock coming meanwhile lets the person
  // finish and send it (docs/protocol.md section 7.1). Not during private writing: presence
  // reaches everyone.
  let draftId = newId()
  let announced = false
  let grace: number | undefined
  const announce = (): void => {
    const writing = textarea.value.trim() !== '' && (session.canWrite() || grace !== undefined) && !session.writesPrivately()
    if (writing === announced) return
    announced = writing
    session.presence.update({ editing: writing ? draftId : null })
    // At once: the lock may come any moment, and the server grants the grace from what it knows.
    session.presence.flush()
  }
  const endGrace = (): void => {
    if (grace === undefined) return
    window.clearTimeout(grace)
    grace = undefined
    textarea.classList.remove('is-lock-grace')
    onGraceEnd()
  }

  textarea.addEventListener('input', () => {
    const max = maxChars()
    const dropped = textarea.value.length - max
    if (dropped > 0) {
      const caret = Math.min(textarea.selectionEnd, max)
      const kept = textarea.value.slice(0, max)
      // Never half of a surrogate pair (an emoji): Y.Text and the server count UTF-16 units too.
      textarea.value = /[\ud800-\udbff]$/.test(kept) ? kept.slice(0, -1) : kept
      textarea.setSelectionRange(caret, caret)
      bindText(message, 'limit.cut', { max, count: dropped })
    }
    updateCounter()
    announce()
  })
  const submit = bindText(h('button', { class: 'button button--primary button--large', attrs: { type: 'submit' } }), 'idea.submit')
  // "Photo": the phone's camera (or any image), the text above as its caption.
  const photoInput = h('input', {
    class: 'visually-hidden idea__photo-input',
    attrs: { type: 'file', accept: 'image/*', capture: 'environment', id: `${p}-photo` },
  })
  const photoLabel = bindText(h('label', { class: 'button button--large idea__photo', attrs: { for: photoInput.id } }), 'image.photo')
  bindAttr(photoLabel, 'title', 'image.photoHint')
  const photo = h('div', { class: 'idea__actions' }, [submit, ...(onPhoto ? [photoInput, photoLabel] : [])])
  const form = h('form', { class: 'idea', attrs: { novalidate: true } }, [
    h('div', { class: 'field' }, [bindText(h('label', { attrs: { for: textarea.id } }), 'idea.label'), textarea, counter]),
    h('fieldset', { class: 'field' }, [bindText(h('legend', {}), 'idea.color'), swatches]),
    zoneField,
    photo,
    message,
  ])
  photoInput.addEventListener('change', () => {
    const file = photoInput.files?.[0]
    photoInput.value = ''
    if (!file || !onPhoto) return
    const color = (form.querySelector<HTMLInputElement>(`input[name="${p}-color"]:checked`)?.value ?? session.color) as PaletteName
    bindText(message, 'image.sending')
    void onPhoto(file, textarea.value.trim(), color, zoneSelect.value || null).then((added) => {
      if (!added) {
        message.textContent = ''
        return
      }
      textarea.value = ''
      updateCounter()
      bindText(message, 'image.added')
    })
  })
  const send = (): void => {
    const text = textarea.value.trim()
    if (!text) {
      bindText(message, 'idea.empty')
      textarea.focus()
      return
    }
    const color = (form.querySelector<HTMLInputElement>(`input[name="${p}-color"]:checked`)?.value ?? session.color) as PaletteName
    const landed = onSubmit(text, color, zoneSelect.value || null, { id: draftId, inGrace: grace !== undefined })
    if (landed === null) return
    textarea.value = ''
    draftId = newId()
    announce()
    if (grace !== undefined) {
      // One note in the grace: the one that was being written.
      endGrace()
      setAccess()
    }
    updateCounter()
    if (landed.fullZone) bindText(message, 'idea.besideFull', { zone: landed.fullZone })
    else if (landed.zone) bindText(message, 'idea.addedTo', { zone: landed.zone })
    else bindText(message, 'idea.added')
    textarea.focus()
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    send()
  })
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      send()
    }
  })
  updateCounter()
  session.on('layout', ({ zonesChanged }) => {
    if (zonesChanged) refreshZones()
  })
  const setAccess = (): void => {
    const disabled = !session.canWrite() && grace === undefined
    for (const el of form.querySelectorAll<HTMLInputElement | HTMLButtonElement | HTMLTextAreaElement | HTMLSelectElement>('input, button, textarea, select')) el.disabled = disabled
  }
  let wasLocked = false
  session.on('access', () => {
    const justLocked = session.meta.locked && !wasLocked
    wasLocked = session.meta.locked
    if (!session.meta.locked) endGrace()
    const ms = clientLockGraceMs(session)
    if (justLocked && announced && session.role === Role.PARTICIPANT && ms > 0) {
      // Locked while this person was writing here: they may finish and send it, for a little while.
      endGrace()
      grace = window.setTimeout(() => {
        endGrace()
        setAccess()
        announce()
      }, ms)
      textarea.classList.add('is-lock-grace')
      bindText(message, 'lock.grace', { seconds: Math.floor(ms / 1000) })
    }
    setAccess()
    announce()
  })
  return { el: form, focus: () => textarea.focus(), inGrace: () => grace !== undefined }
}

