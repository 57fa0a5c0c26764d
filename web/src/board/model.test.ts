/** Tests of the notes model, the layout readers and undo on the documented board shape. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LOCAL, MAX_LEGEND_CHARS, NotesModel, readMeta, readZones, setEditOthersNotes, setLegendLabel } from './model'
import { Undo } from './undo'

const note = { rect: [10, 20, 180, 120] as [number, number, number, number], color: 'blue' as const, author: 'Camille', authorId: 'p1', createdAt: 1000 }

describe('NotesModel', () => {
  it('writes notes in the documented shape (docs/board-schema.md)', () => {
    const model = new NotesModel(new Y.Doc())
    const id = model.create({ ...note, text: 'Bonjour' })
    const raw = model.map.get(id) as Y.Map<unknown>
    expect(raw.get('text')).toBeInstanceOf(Y.Text)
    expect(raw.get('rect')).toEqual([10, 20, 180, 120])
    expect(raw.get('color')).toBe('blue')
    expect(raw.get('author')).toBe('Camille')
    expect(raw.get('authorId')).toBe('p1')
    expect(raw.get('createdAt')).toBe(1000)
    expect(typeof raw.get('z')).toBe('number')
    expect(model.get(id)?.text).toBe('Bonjour')
  })

  it('moves several notes in one transaction, one `rect` value each', () => {
    const doc = new Y.Doc()
    const model = new NotesModel(doc)
    const a = model.create(note)
    const b = model.create(note)
    let transactions = 0
    doc.on('afterTransaction', () => transactions++)
    model.setRects(new Map([[a, [100, 100, 180, 120]], [b, [300, 100, 180, 120]]]))
    expect(transactions).toBe(1)
    expect(model.get(a)?.rect).toEqual([100, 100, 180, 120])
    expect(model.get(b)?.rect).toEqual([300, 100, 180, 120])
  })

  it('reports which notes changed, text edits included', () => {
    const model = new NotesModel(new Y.Doc())
    const id = model.create(note)
    const seen: string[][] = []
    model.observe((ids) => seen.push([...ids]))
    model.text(id)?.insert(0, 'x')
    model.setColor([id], 'green')
    expect(seen).toEqual([[id], [id]])
  })

  it('reads defensively: unknown colours fall back, notes without a rectangle are skipped', () => {
    const doc = new Y.Doc()
    const map = doc.getMap('notes')
    const odd = new Y.Map<unknown>()
    map.set('odd', odd)
    odd.set('rect', [0, 0, 10, 10])
    odd.set('color', 'magenta')
    map.set('broken', new Y.Map())
    const model = new NotesModel(doc)
    expect(model.get('odd')?.color).toBe('yellow')
    expect(model.all().map((n) => n.id)).toEqual(['odd'])
  })
})

describe('layout', () => {
  it('reads zones in reading order and the meta flags', () => {
    const doc = new Y.Doc()
    doc.transact(() => {
      const zones = doc.getMap('zones')
      for (const [id, order] of [['b', 2], ['a', 1]] as const) {
        const zone = new Y.Map<unknown>()
        zones.set(id, zone)
        zone.set('title', id.toUpperCase())
        zone.set('rect', [0, 0, 100, 100])
        zone.set('order', order)
        zone.set('color', 'green')
      }
      doc.getMap('meta').set('locked', true)
      doc.getMap('meta').set('title', 'Atelier')
    })
    expect(readZones(doc).map((z) => z.id)).toEqual(['a', 'b'])
    expect(readMeta(doc)).toEqual({ title: 'Atelier', question: '', round: null, broadcast: null, locked: true, anonymous: false, editOthersNotes: false, legend: {} })
  })

  it('reads editOthersNotes: true only when it is the boolean true (docs/board-schema.md)', () => {
    const doc = new Y.Doc()
    expect(readMeta(doc).editOthersNotes).toBe(false)
    doc.getMap('meta').set('editOthersNotes', 'yes')
    expect(readMeta(doc).editOthersNotes).toBe(false)
    setEditOthersNotes(doc, true)
    expect(readMeta(doc).editOthersNotes).toBe(true)
    setEditOthersNotes(doc, false)
    expect(readMeta(doc).editOthersNotes).toBe(false)
  })

  it('writes editOthersNotes with the LOCAL origin, as every facilitator write', () => {
    const doc = new Y.Doc()
    const origins: unknown[] = []
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin))
    setEditOthersNotes(doc, true)
    expect(origins).toEqual([LOCAL])
  })
})

describe('legend', () => {
  it('reads palette colours only, blanks collapsed, cut at MAX_LEGEND_CHARS (docs/board-schema.md)', () => {
    const doc = new Y.Doc()
    doc.getMap('meta').set('legend', { yellow: '  idée   neuve ', pink: 'x'.repeat(500), gold: 'non', red: 42, green: '   ' })
    expect(readMeta(doc).legend).toEqual({ yellow: 'idée neuve', pink: 'x'.repeat(MAX_LEGEND_CHARS) })
  })

  it('names and unnames one colour in a nested map, keeping the others, with the LOCAL origin', () => {
    const doc = new Y.Doc()
    const origins: unknown[] = []
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin))
    setLegendLabel(doc, 'yellow', 'idée')
    setLegendLabel(doc, 'pink', '<b>frein</b>')
    expect(doc.getMap('meta').get('legend')).toBeInstanceOf(Y.Map)
    expect(readMeta(doc).legend).toEqual({ yellow: 'idée', pink: '<b>frein</b>' })
    setLegendLabel(doc, 'yellow', '  ')
    expect(readMeta(doc).legend).toEqual({ pink: '<b>frein</b>' })
    expect(origins).toEqual([LOCAL, LOCAL, LOCAL])
  })

  it('never cuts an emoji in half', () => {
    const doc = new Y.Doc()
    setLegendLabel(doc, 'blue', 'a'.repeat(MAX_LEGEND_CHARS - 1) + '😀')
    expect(readMeta(doc).legend.blue).toBe('a'.repeat(MAX_LEGEND_CHARS - 1))
  })
})

describe('undo', () => {
  it('takes back only this person’s own changes', () => {
    const doc = new Y.Doc()
    const model = new NotesModel(doc)
    const undo = new Undo()
    undo.bind(model)
    const mine = model.create({ ...note, text: 'mine' })
    undo.stopCapturing()
    // Someone else's note arrives from the server (not LOCAL).
    const remote = new Y.Doc()
    const theirs = new NotesModel(remote).create({ ...note, text: 'theirs' })
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote), 'remote')
    expect(model.size).toBe(2)
    undo.undo()
    expect(model.get(mine)).toBeNull()
    expect(model.get(theirs)?.text).toBe('theirs')
    undo.redo()
    expect(model.get(mine)?.text).toBe('mine')
    expect(LOCAL).toBeTypeOf('symbol')
  })
})
