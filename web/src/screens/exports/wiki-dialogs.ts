/** "Copier pour le wiki" (the markup copied, with a preview) and "Publier sur le wiki" (a confirmation, then the link or the reason in words). */
import { bindText, t } from '../../i18n'
import { h } from '../../lib/dom'
import { publishToWiki, wikiMarkup } from '../../api/exports'
import { openModal } from '../widgets/modal'
import { errorKey } from '../../i18n/error-words'
import { renderWikiPreview } from './wiki-preview'

export interface WikiContext {
  boardId: string
  token: string
  /** The wiki publishing goes to, when this facilitator may publish; else null. */
  publishTarget(): string | null
}

function webUrl(value: string): string | null {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null
  } catch {
    return null
  }
}

async function copy(text: string, area: HTMLTextAreaElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    // The fallback: the text selected in a visible box, for Ctrl+C (or the old copy command).
    area.focus()
    area.select()
    try {
      return document.execCommand('copy')
    } catch {
      return false
    }
  }
}

export async function openWikiCopy(context: WikiContext): Promise<void> {
  const modal = openModal('wiki.title', 'wiki-dialog')
  const status = bindText(h('p', { class: 'wiki-dialog__status', attrs: { role: 'status', 'aria-live': 'polite' } }), 'wiki.loading')
  modal.body.append(status)
  const answer = await wikiMarkup(context.boardId, context.token)
  if (!answer.ok) {
    status.setAttribute('role', 'alert')
    bindText(status, 'wiki.failed', { reason: t(errorKey(answer.error.code)) })
    return
  }
  const markup = answer.value
  const area = h('textarea', { class: 'wiki-dialog__source', attrs: { readonly: true, rows: 8, spellcheck: 'false', 'aria-label': t('wiki.source') } })
  area.value = markup
  const source = h('details', { class: 'wiki-dialog__details' }, [bindText(h('summary'), 'wiki.source'), area])
  const again = bindText(h('button', { class: 'button', attrs: { type: 'button' } }), 'wiki.copyAgain')
  const actions = h('div', { class: 'modal__actions' }, [again])
  const target = context.publishTarget()
  if (target) {
    const publish = bindText(h('button', { class: 'button', attrs: { type: 'button', 'data-action': 'publish' } }), 'publish.open')
    publish.addEventListener('click', () => {
      modal.close()
      openPublish(context, target)
    })
    actions.append(publish)
  }
  const preview = h('div', { class: 'wiki-dialog__preview', attrs: { tabindex: 0 } }, [renderWikiPreview(markup)])
  preview.setAttribute('aria-label', t('wiki.previewTitle'))
  modal.body.append(
    actions,
    source,
    bindText(h('h3', { class: 'wiki-dialog__preview-title' }), 'wiki.previewTitle'),
    bindText(h('p', { class: 'wiki-dialog__note' }), 'wiki.previewNote'),
    preview,
  )
  const doCopy = async (): Promise<void> => {
    const ok = await copy(markup, area)
    if (!ok) {
      source.open = true
      area.focus()
      area.select()
    }
    bindText(status, ok ? 'wiki.copied' : 'wiki.copyFailed')
  }
  again.addEventListener('click', () => void doCopy())
  await doCopy()
}

export function openPublish(context: WikiContext, wiki: string): void {
  const modal = openModal('publish.title', 'publish-dialog')
  const state = h('div', { class: 'publish-dialog__state', attrs: { 'aria-live': 'polite' } })
  const submit = bindText(h('button', { class: 'button button--primary', attrs: { type: 'button' } }), 'publish.submit')
  const cancel = bindText(h('button', { class: 'button', attrs: { type: 'button' }, on: { click: () => modal.close() } }), 'publish.cancel')
  const wikiName = h('strong', { text: wiki })
  const confirmText = h('p', { class: 'publish-dialog__confirm' })
  // The wiki's address as its own element (text), inside the translated sentence.
  const [before, after = ''] = t('publish.confirm', { wiki: '\u0000' }).split('\u0000')
  confirmText.append(before ?? '', wikiName, after)
  const actions = h('div', { class: 'modal__actions' }, [submit, cancel])
  modal.body.append(confirmText, state, actions)
  submit.focus()

  submit.addEventListener('click', async () => {
    submit.disabled = true
    cancel.disabled = true
    state.replaceChildren(bindText(h('p', { class: 'publish-dialog__working' }), 'publish.working'))
    const answer = await publishToWiki(context.boardId, context.token)
    cancel.disabled = false
    confirmText.remove()
    if (answer.ok) {
      const url = webUrl(answer.value.url)
      const shown = url
        ? h('a', { class: 'publish-dialog__link', attrs: { href: url, target: '_blank', rel: 'noopener noreferrer' }, text: url })
        : h('span', { class: 'publish-dialog__link', text: answer.value.url })
      const result = h('div', { class: 'publish-dialog__result publish-dialog__result--ok', attrs: { role: 'status' } }, [
        bindText(h('p', { class: 'publish-dialog__headline' }), 'publish.done'),
        h('p', {}, [shown]),
      ])
      const warning = answer.value.warning?.message
      if (typeof warning === 'string' && warning !== '') {
        result.append(h('p', { class: 'publish-dialog__warning', text: t('publish.warning', { warning }) }))
      }
      state.replaceChildren(result)
      submit.remove()
      bindText(cancel, 'publish.close')
      cancel.focus()
      return
    }
    const { status, error } = answer
    // The wiki's own failures (502) come with the reason in words, in the board's language, and
    // say whether the entry may exist all the same (a timeout, an unexpected answer): not "nothing".
    const fromWiki = status === 502 && error.message !== ''
    const uncertain = status === 0 || (fromWiki && error.wiki?.mayExist === true)
    const reason = fromWiki ? error.message : status === 409 ? t('publish.notConfigured') : t(errorKey(error.code))
    const result = h('div', { class: 'publish-dialog__result publish-dialog__result--error', attrs: { role: 'alert' } }, [
      bindText(h('p', { class: 'publish-dialog__headline' }), uncertain ? 'publish.maybe' : 'publish.nothing'),
      h('p', { class: 'publish-dialog__reason', text: t('publish.reason', { reason }) }),
    ])
    const wikiUrl = webUrl(wiki)
    if (uncertain && wikiUrl) {
      result.append(h('p', {}, [bindText(h('a', { attrs: { href: wikiUrl, target: '_blank', rel: 'noopener noreferrer' } }), 'publish.checkWiki')]))
    }
    state.replaceChildren(result)
    if (uncertain) {
      submit.remove()
    } else {
      submit.disabled = false
      bindText(submit, 'publish.retry')
    }
    bindText(cancel, 'publish.close')
  })
}
