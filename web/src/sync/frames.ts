/** y-websocket framing of the `y` event (docs/protocol.md section 4), built from the stock packages. */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import type * as Y from 'yjs'
import { MessageType } from './protocol'

export function step1Frame(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.SYNC)
  syncProtocol.writeSyncStep1(encoder, doc)
  return encoding.toUint8Array(encoder)
}

export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.SYNC)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** The Yjs update a sync step 2 or update frame carries. */
export function frameUpdate(frame: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(frame)
  decoding.readVarUint(decoder) // message type
  decoding.readVarUint(decoder) // sync type
  return decoding.readVarUint8Array(decoder)
}

export function awarenessFrame(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.AWARENESS)
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
  return encoding.toUint8Array(encoder)
}

export type ReadResult =
  | { kind: 'step1'; reply: Uint8Array }
  | { kind: 'step2' }
  | { kind: 'update' }
  | { kind: 'awareness'; update: Uint8Array }

/** Reads one frame into `doc` (sync messages are applied with `origin`); a step 1 yields its reply. */
export function readFrame(frame: Uint8Array, doc: Y.Doc, origin: unknown): ReadResult {
  const decoder = decoding.createDecoder(frame)
  const messageType = decoding.readVarUint(decoder)
  if (messageType === MessageType.AWARENESS) {
    return { kind: 'awareness', update: decoding.readVarUint8Array(decoder) }
  }
  if (messageType !== MessageType.SYNC) throw new Error(`unknown message type ${messageType}`)
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.SYNC)
  const syncType = syncProtocol.readSyncMessage(decoder, encoder, doc, origin)
  if (syncType === syncProtocol.messageYjsSyncStep1) {
    return { kind: 'step1', reply: encoding.toUint8Array(encoder) }
  }
  return syncType === syncProtocol.messageYjsSyncStep2 ? { kind: 'step2' } : { kind: 'update' }
}
