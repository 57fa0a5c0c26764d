/** The home page's "Atelier à plusieurs tables" card: a workshop's tables, template and rounds in one form. */
import { bindAttr, bindText, locale } from '../../i18n'
import { listTemplates } from '../../api/boards'
import { type CreatedWorkshop, createWorkshop, readTables, workshopPath } from '../../api/workshops'
import { errorKey } from '../../i18n/error-words'
import { h } from '../../lib/dom'

const DEFAULT_ROUND_MINUTES = 20

function field(id: string, labelKey: Parameters<typeof bindText>[1], control: HTMLElement, helpKey?: Parameters<typeof bindText>[1]): HTMLElement {
  return h('div', { class: 'field' }, [
    bindText(h('label', { attrs: { for: id } }), labelKey),
    control,
    helpKey ? bindText(h('p', { class: 'field__help', attrs: { id: `${id}-help` } }), helpKey) : h('span', {}),
  ])
}

export function workshopCreate(): HTMLElement {
  const title = h('input', { attrs: { id: 'workshop-title', type: 'text', maxlength: 200, autocomplete: 'off' } }) as HTMLInputElement
  const template = h('select', { attrs: { id: 'workshop-template' } }) as HTMLSelectElement
  const tables = h('textarea', { attrs: { id: 'workshop-tables', rows: 4, 'aria-describedby': 'workshop-tables-help' } }) as HTMLTextAreaElement
  const rounds = h('textarea', { attrs: { id: 'workshop-rounds', rows: 3, 'aria-describedby': 'workshop-rounds-help' } }) as HTMLTextAreaElement
  const minutes = h('input', { attrs: { id: 'workshop-minutes', type: 'number', min: 1, max: 240, value: DEFAULT_ROUND_MINUTES } }) as HTMLInputElement
  bindAttr(tables, 'placeholder', 'workshopCreate.tablesPlaceholder')
  bindAttr(rounds, 'placeholder', 'workshopCreate.roundsPlaceholder')
  const error = h('p', { class: 'field__error', attrs: { role: 'alert' } })
  const submit = bindText(h('button', { class: 'button button--primary', attrs: { type: 'submit' } }), 'workshopCreate.create') as HTMLButtonElement
  const form = h('form', { class: 'workshop-create__form', attrs: { novalidate: true } }, [
    field(title.id, 'workshopCreate.title', title),
    field(tables.id, 'workshopCreate.tables', tables, 'workshopCreate.tablesHelp'),
    field(template.id, 'workshopCreate.template', template),
    field(rounds.id, 'workshopCreate.rounds', rounds, 'workshopCreate.roundsHelp'),
    field(minutes.id, 'workshopCreate.minutes', minutes),
    error,
    submit,
  ])
  const result = h('div', { class: 'workshop-create__result', attrs: { hidden: true, tabindex: -1 } })

  void listTemplates(locale()).then((answer) => {
    if (!answer.ok) return
    template.replaceChildren(...answer.value.map((tpl) => h('option', { attrs: { value: tpl.id }, text: tpl.name })))
  })

  function showCreated(created: CreatedWorkshop): void {
    form.hidden = true
    result.hidden = false
    result.replaceChildren(
      bindText(h('h3', {}), 'workshopCreate.created', { title: created.title }),
      bindText(h('p', { class: 'workshop-create__code' }), 'workshopCreate.code', { code: created.joinCode }),
      bindText(h('a', { class: 'button button--primary', attrs: { href: workshopPath(created.id, created.tokens.facilitator) } }), 'workshopCreate.open'),
    )
    result.focus()
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const planned = readTables(tables.value)
    if (!title.value.trim()) {
      bindText(error, 'home.titleMissing')
      title.focus()
      return
    }
    if (planned.length === 0) {
      bindText(error, 'workshopCreate.noTables')
      tables.focus()
      return
    }
    const durationMs = Math.round(Math.min(240, Math.max(1, Number(minutes.value) || DEFAULT_ROUND_MINUTES)) * 60_000)
    const labels = rounds.value.split('\n').map((line) => line.trim()).filter(Boolean)
    error.textContent = ''
    submit.disabled = true
    const answer = await createWorkshop({
      title: title.value.trim(),
      locale: locale(),
      template: template.value || 'blank',
      tables: planned,
      rounds: labels.map((label) => ({ label, prompt: '', durationMs })),
    })
    submit.disabled = false
    if (!answer.ok) {
      // The server names the field that is wrong ("tables[2].title …"): say it as it is.
      error.textContent = answer.error.code === 'invalid' ? answer.error.message : ''
      if (answer.error.code !== 'invalid') bindText(error, errorKey(answer.error.code))
      return
    }
    showCreated(answer.value)
  })

  return h('section', { class: 'card home-workshop', attrs: { 'aria-labelledby': 'workshop-create-title' } }, [
    bindText(h('h2', { attrs: { id: 'workshop-create-title' } }), 'workshopCreate.heading'),
    bindText(h('p', { class: 'card__note' }), 'workshopCreate.intro'),
    form,
    result,
  ])
}
