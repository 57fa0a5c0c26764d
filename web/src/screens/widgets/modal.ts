/** A modal dialog: a title, a body, focus kept inside, Escape and "Fermer" close it. */
import { type Key, bindText } from '../../i18n'
import { h, trapFocus } from '../../lib/dom'

export interface Modal {
  el: HTMLElement
  body: HTMLElement
  close(): void
}

let counter = 0

export function openModal(titleKey: Key, className: string, onClose?: () => void): Modal {
  counter += 1
  const titleId = `modal-title-${counter}`
  const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null
  const body = h('div', { class: 'modal__content' })
  const closeButton = bindText(h('button', { class: 'button button--small modal__close', attrs: { type: 'button' } }), 'wiki.close')
  const panel = h('div', { class: `dialog__body modal ${className}` }, [
    h('div', { class: 'modal__head' }, [bindText(h('h2', { attrs: { id: titleId } }), titleKey), closeButton]),
    body,
  ])
  const overlay = h('div', { class: 'dialog', attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId } }, [panel])
  const close = (): void => {
    overlay.remove()
    onClose?.()
    returnTo?.focus()
  }
  closeButton.addEventListener('click', close)
  overlay.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.stopPropagation()
      close()
    }
  })
  trapFocus(overlay, () =>
    [
      ...overlay.querySelectorAll<HTMLElement>(
        'a[href], button:not([disabled]), textarea, input, summary, [tabindex="0"]',
      ),
    ].filter((el) => el.offsetParent !== null),
  )
  overlay.addEventListener('click', (event) => {
    if (event.target === overlay) close()
  })
  document.body.append(overlay)
  closeButton.focus()
  return { el: overlay, body, close }
}
