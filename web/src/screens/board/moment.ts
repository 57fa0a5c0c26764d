/** A moment of the board's past (a note deleted, a version kept) as people read it, in their language. */
import { locale } from '../../i18n'

/** E.g. "12/03/2027 10:42" in French, "3/12/27, 10:42 AM" in English. */
export function formatWhen(ms: number): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short' }).format(new Date(ms))
}
