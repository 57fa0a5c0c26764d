/** The folders of src are layers: every relative import goes down the order below, and no folders import each other in a cycle. */
/// <reference types="node" />
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// Bottom first; a module may import from its own layer and the ones before it. Keep in step with
// docs/web-client.md. `.` is the top: main.ts and the global stylesheet.
const LAYERS = ['lib', 'i18n', 'sync', 'api', 'board', 'facilitation', 'session', 'screens', '.'] as const

const THIS_FILE = fileURLToPath(import.meta.url)
const SRC = dirname(THIS_FILE)

interface Import {
  from: string
  to: string
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|css)$/.test(name) ? [path] : []
  })
}

/** Relative specifiers of static imports, re-exports, side-effect imports and `import()`. */
export function relativeSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  const found: string[] = []
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /@import\s+(?:url\()?\s*['"]([^'"]+)['"]/g,
  ]
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) if (match[1]?.startsWith('.')) found.push(match[1])
  return found
}

function resolveImport(file: string, specifier: string): string | null {
  const base = resolve(dirname(file), specifier)
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return null
}

/** The folder of a file, relative to src (`.` for the files at the top). */
const folderOf = (file: string): string => relative(SRC, dirname(file)).split(sep).join('/') || '.'
const layerOf = (file: string): string => folderOf(file).split('/')[0] as string

function allImports(): { imports: Import[]; unresolved: string[] } {
  const imports: Import[] = []
  const unresolved: string[] = []
  // This file is left out: its own examples below are strings, not imports.
  for (const file of sourceFiles(SRC).filter((path) => path !== THIS_FILE)) {
    for (const specifier of relativeSpecifiers(readFileSync(file, 'utf8'))) {
      const target = resolveImport(file, specifier)
      if (target) imports.push({ from: file, to: target })
      else unresolved.push(`${relative(SRC, file)}: ${specifier}`)
    }
  }
  return { imports, unresolved }
}

/** Cycles in a directed graph, each as the list of its nodes (strongly connected components of 2+). */
function cycles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  let counter = 0
  const visit = (node: string): void => {
    index.set(node, counter)
    low.set(node, counter)
    counter += 1
    stack.push(node)
    onStack.add(node)
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number))
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number))
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop() as string
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      if (component.length > 1) found.push(component.sort())
    }
  }
  for (const node of edges.keys()) if (!index.has(node)) visit(node)
  return found
}

describe('the layers of src', () => {
  const { imports, unresolved } = allImports()

  it('finds the imports it checks (every relative import resolves to a file)', () => {
    expect(unresolved).toEqual([])
    expect(imports.length).toBeGreaterThan(100)
  })

  it('has a declared layer for every folder', () => {
    const layers = new Set(sourceFiles(SRC).map(layerOf))
    expect([...layers].filter((layer) => !(LAYERS as readonly string[]).includes(layer))).toEqual([])
  })

  it('imports only from the same layer or a lower one', () => {
    const rank = (file: string): number => (LAYERS as readonly string[]).indexOf(layerOf(file))
    const upward = imports
      .filter(({ from, to }) => rank(to) > rank(from))
      .map(({ from, to }) => `${relative(SRC, from)} imports ${relative(SRC, to)}`)
    expect(upward).toEqual([])
  })

  it('has no import cycle between folders', () => {
    const edges = new Map<string, Set<string>>()
    for (const { from, to } of imports) {
      const [a, b] = [folderOf(from), folderOf(to)]
      if (a === b) continue
      edges.set(a, (edges.get(a) ?? new Set()).add(b))
    }
    expect(cycles(edges)).toEqual([])
  })

  it('reads every kind of import, and catches an import going up or a cycle', () => {
    const source = [
      "import { a } from '../lib/a'",
      "import type { B } from './b'",
      "export { c } from '../c'",
      "import './d.css'",
      "const e = await import('../e')",
      "import { x } from 'yjs'",
      '// import { f } from "./commented-out"',
    ].join('\n')
    expect(relativeSpecifiers(source)).toEqual(['../lib/a', './b', '../c', './d.css', '../e'])
    expect(cycles(new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]))).toEqual([['a', 'b', 'c']])
    expect(cycles(new Map([['a', new Set(['b'])], ['b', new Set(['c'])]]))).toEqual([])
  })
})
