// Vite builds the client into static/dist, which the Python server serves (server/app.py).
// `npm run dev` serves the sources with hot reload and forwards the API and Socket.IO to a
// server started with `make run` (override its address with ARDOISE_SERVER).
import { defineConfig } from 'vitest/config'

const server = process.env.ARDOISE_SERVER ?? 'http://127.0.0.1:8000'

export default defineConfig({
  build: {
    outDir: 'static/dist',
    emptyOutDir: true,
    target: 'es2022',
    // One small bundle: no source maps to ship, but readable stack traces in the browser console
    // come from `npm run dev`.
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': server,
      '/healthz': server,
      '/socket.io': { target: server, ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
})
