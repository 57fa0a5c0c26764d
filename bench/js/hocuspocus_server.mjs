// A minimal Hocuspocus server for the comparison, as its documentation sets one up:
// `@hocuspocus/server` with the `@hocuspocus/extension-database` persistence hooks (and
// `@hocuspocus/extension-redis` for the two-process scenario), on loopback.
//
// Persistence: Hocuspocus stores a whole document (Y.encodeStateAsUpdate) through its debounced
// onStoreDocument hook (default: 2 s after the last change, at most 10 s), like its SQLite
// extension does. Here the store writes one file per document and fsyncs it, because the SQLite
// extension needs the native `sqlite3` module, which downloads a prebuilt binary at install time.
// Its acknowledgement (SyncStatus) is sent once an update is applied in memory, before any store.
//
// Usage: node hocuspocus_server.mjs '{"dataDir": "...", "redis": {"host": "127.0.0.1", "port": 6379} | null}'
// Prints `Hocuspocus listening on ws://127.0.0.1:<port>` once ready.

import { mkdirSync, openSync, writeSync, fsyncSync, closeSync, renameSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { Server } from '@hocuspocus/server'
import { Database } from '@hocuspocus/extension-database'
import { Redis } from '@hocuspocus/extension-redis'

const config = JSON.parse(process.argv[2] || '{}')
mkdirSync(config.dataDir, { recursive: true })

const fileOf = (documentName) => join(config.dataDir, `${encodeURIComponent(documentName)}.ydoc`)

const extensions = [
  new Database({
    fetch: async ({ documentName }) => {
      const path = fileOf(documentName)
      return existsSync(path) ? new Uint8Array(readFileSync(path)) : null
    },
    store: async ({ documentName, state }) => {
      // Write, fsync, rename: a crash leaves the previous state, never a torn file.
      const path = fileOf(documentName)
      const fd = openSync(`${path}.tmp`, 'w')
      writeSync(fd, state)
      fsyncSync(fd)
      closeSync(fd)
      renameSync(`${path}.tmp`, path)
    }
  })
]
if (config.redis) extensions.push(new Redis({ host: config.redis.host, port: config.redis.port }))

const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  // Idle participants of the benchmark send nothing for a while; the provider would send
  // awareness every 30 s. A longer timeout keeps them connected without simulating that.
  timeout: 10 * 60_000,
  extensions
})
await server.listen()
console.log(`Hocuspocus listening on ws://127.0.0.1:${server.address.port}`)
