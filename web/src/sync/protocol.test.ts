/** Tests of the protocol's error data: wire errors read defensively, every code with words in both languages. */
import { describe, expect, it } from 'vitest'
import { en } from '../i18n/en'
import { fr } from '../i18n/fr'
import { ClientErrorCode, ErrorCode, asWireError } from './protocol'

describe('asWireError', () => {
  it('keeps why a wiki did not publish, and whether the entry may exist', () => {
    const error = asWireError({ code: 'unavailable', message: 'le wiki n’a pas répondu à temps', wiki: { reason: 'timeout', mayExist: true } })
    expect(error).toEqual({ code: 'unavailable', message: 'le wiki n’a pas répondu à temps', wiki: { reason: 'timeout', mayExist: true } })
  })

  it('drops a wiki field of the wrong shape instead of trusting it', () => {
    for (const wiki of [null, 'timeout', { reason: 'timeout' }, { reason: 3, mayExist: true }, { reason: 'x', mayExist: 'yes' }]) {
      expect(asWireError({ code: 'unavailable', message: 'm', wiki })).toEqual({ code: 'unavailable', message: 'm' })
    }
  })

  it('turns an unknown code into an internal error', () => {
    expect(asWireError({ code: 'nope', message: 'm' }).code).toBe('internal')
  })
})

describe('error codes', () => {
  it('every error code the protocol knows has words in both languages', () => {
    for (const code of [...Object.values(ErrorCode), ...Object.values(ClientErrorCode)]) {
      expect(fr, code).toHaveProperty([`error.${code}`])
      expect(en, code).toHaveProperty([`error.${code}`])
    }
  })
})
