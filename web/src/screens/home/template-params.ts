/** The parameters a template asks for at board creation (docs/templates.md): one text box per `list` parameter, one item per line. */
// E.g. the axes of a roadmap, prefilled with the template's defaults.
import { bindText, locale } from '../../i18n'
import type { TemplateParameter, TemplateSummary } from '../../api/boards'
import { h } from '../../lib/dom'

export class TemplateParams {
  readonly el = h('div', { class: 'template-params', attrs: { hidden: true } })
  private fields: Array<{ param: TemplateParameter; input: HTMLTextAreaElement }> = []
  private current = ''

  /** Shows the fields of the chosen template (kept as typed while it stays chosen). */
  set(tpl: TemplateSummary | undefined): void {
    const key = `${tpl?.id ?? ''}|${locale()}`
    if (key === this.current) return
    this.current = key
    const params = (tpl?.parameters ?? []).filter((p) => p.type === 'list' && typeof p.name === 'string')
    this.fields = params.map((param) => {
      const lang = locale()
      const id = `param-${param.name}`
      const input = h('textarea', { class: 'template-params__input', attrs: { id, name: param.name, rows: 3, 'aria-describedby': `${id}-help` } })
      input.value = (param.default?.[lang] ?? param.default?.fr ?? []).join('\n')
      return { param, input }
    })
    this.el.hidden = this.fields.length === 0
    this.el.replaceChildren(...this.fields.map(({ param, input }) => {
      const lang = locale()
      const help = param.help?.[lang] ?? param.help?.fr ?? ''
      const helpEl = h('p', { class: 'field__help', attrs: { id: `${input.id}-help` }, text: help ? `${help} ` : '' })
      helpEl.append(bindText(h('span', {}), 'home.parameterHelp'))
      return h('div', { class: 'field' }, [
        h('label', { attrs: { for: input.id }, text: param.label?.[lang] ?? param.label?.fr ?? param.name }),
        input,
        helpEl,
      ])
    }))
  }

  values(): Record<string, string[]> {
    const values: Record<string, string[]> = {}
    for (const { param, input } of this.fields) {
      values[param.name] = input.value.split('\n').map((line) => line.trim()).filter((line) => line.length > 0)
    }
    return values
  }
}
