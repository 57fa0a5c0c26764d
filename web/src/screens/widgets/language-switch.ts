/** The language switch: French and English, remembered in this browser. */
import { LOCALES, type Locale, bindAttr, locale, onLocaleChange, setLocale } from '../../i18n'
import { h } from '../../lib/dom'

const NAMES: Record<Locale, string> = { fr: 'Français', en: 'English' }

export function languageSwitch(): HTMLElement {
  const select = h('select', { class: 'language-switch', on: { change: () => setLocale(select.value as Locale) } },
    LOCALES.map((l) => h('option', { attrs: { value: l, lang: l }, text: NAMES[l] })))
  select.value = locale()
  bindAttr(select, 'aria-label', 'language.label')
  onLocaleChange((l) => {
    select.value = l
  })
  return select
}
