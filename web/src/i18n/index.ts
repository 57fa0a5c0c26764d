/** Translations: the current language, `t()`, and elements kept translated when the language changes. */
// French first, English available; chosen from navigator.languages unless the person picked one
// (remembered). Elements bound with bindText/bindAttr are re-translated in place, so switching
// never reloads the board.
import { setStoredLocale, storedLocale } from '../lib/storage'
import { en } from './en'
import { fr } from './fr'

export type Key = keyof typeof fr
export type Locale = 'fr' | 'en'
export type Params = Record<string, string | number>

export const LOCALES: readonly Locale[] = ['fr', 'en']
const DICTIONARIES: Record<Locale, Record<Key, string>> = { fr, en }

let current: Locale = 'fr'
const listeners = new Set<(locale: Locale) => void>()

/** The first of the person's languages we have, else French. */
export function pickLocale(languages: readonly string[], stored: string | null): Locale {
  if (stored === 'fr' || stored === 'en') return stored
  for (const tag of languages) {
    const base = tag.toLowerCase().slice(0, 2)
    if (base === 'fr' || base === 'en') return base
  }
  return 'fr'
}

export function initLocale(): Locale {
  current = pickLocale(typeof navigator === 'undefined' ? [] : navigator.languages ?? [], storedLocale())
  if (typeof document !== 'undefined') document.documentElement.lang = current
  return current
}

export function locale(): Locale {
  return current
}

export function format(template: string, params?: Params): string {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole: string, name: string): string => {
    const value = params[name]
    if (value === undefined) return whole
    return typeof value === "number" ? new Intl.NumberFormat(current).format(value) : String(value)
  })
}

export function t(key: Key, params?: Params): string {
  const dictionary = DICTIONARIES[current]
  // A `.one` variant, when there is one, is the singular of a counted text; a `.zero` variant says
  // "none" in words ("vous n’avez plus de vote", not "il vous reste 0 votes").
  const variant = params?.count === 1 ? 'one' : params?.count === 0 ? 'zero' : null
  const counted = variant ? dictionary[`${key}.${variant}` as Key] : undefined
  return format(counted ?? dictionary[key] ?? fr[key], params)
}

/** Sets an element's text to a translation, and keeps it translated. */
export function bindText<E extends Element>(el: E, key: Key, params?: Params): E {
  el.setAttribute('data-i18n', key)
  if (params) el.setAttribute('data-i18n-params', JSON.stringify(params))
  else el.removeAttribute('data-i18n-params')
  el.textContent = t(key, params)
  return el
}

/** Sets an attribute (aria-label, title, placeholder) to a translation, and keeps it translated. */
export function bindAttr<E extends Element>(el: E, attr: string, key: Key, params?: Params): E {
  const bound = readAttrBindings(el)
  bound[attr] = params ? [key, params] : [key]
  el.setAttribute('data-i18n-attrs', JSON.stringify(bound))
  el.setAttribute(attr, t(key, params))
  return el
}

function readAttrBindings(el: Element): Record<string, [Key, Params?]> {
  try {
    return JSON.parse(el.getAttribute('data-i18n-attrs') ?? '{}') as Record<string, [Key, Params?]>
  } catch {
    return {}
  }
}

export function translateTree(root: ParentNode): void {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const params = el.getAttribute('data-i18n-params')
    el.textContent = t(el.getAttribute('data-i18n') as Key, params ? (JSON.parse(params) as Params) : undefined)
  }
  for (const el of root.querySelectorAll('[data-i18n-attrs]')) {
    for (const [attr, [key, params]] of Object.entries(readAttrBindings(el))) el.setAttribute(attr, t(key, params))
  }
}

export function setLocale(next: Locale): void {
  if (next === current) return
  current = next
  setStoredLocale(next)
  document.documentElement.lang = next
  translateTree(document.body)
  for (const listener of listeners) listener(next)
}

export function onLocaleChange(listener: (locale: Locale) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
