// The source reads as its flow: config → scope → inventory → facts → checks → report → publish, over a
// ground floor every stage may use. A stage imports the ground floor and the stages before it, never one after
// it; no two folders import each other. The entry points (audit.ts, handler.ts, cli/, deps.ts) wire it all.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');

/** The ground floor: `model` imports nothing of the project; the others import only the ground floor. */
const GROUND = ['model', 'naming', 'clients', 'text', 'runtime'];
const FLOW = ['config', 'scope', 'inventory', 'facts', 'checks', 'report', 'publish'];
const ENTRY = [
  'audit.ts',
  'pipeline.ts',
  'handler.ts',
  'lambda',
  'cli',
  'cli.ts',
  'deps.ts',
  'progress-log.ts',
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Folder (or top-level file) → the folders it imports, with one file each as evidence. */
function importGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sources(SRC)) {
    const from = relative(SRC, file).split('/')[0] as string;
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g)) {
      const to = relative(SRC, normalize(join(dirname(file), spec as string))).split('/')[0] as string;
      if (to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      edges.set(to, relative(SRC, file));
      graph.set(from, edges);
    }
  }
  return graph;
}

describe('the import graph of src/', () => {
  const graph = importGraph();
  const edges = [...graph].flatMap(([from, tos]) => [...tos].map(([to, file]) => ({ from, to, file })));

  it('knows every folder: each is the ground floor, a stage of the flow or an entry point', () => {
    const unknown = [...new Set(edges.flatMap((e) => [e.from, e.to]))].filter(
      (name) => ![...GROUND, ...FLOW, ...ENTRY].includes(name),
    );
    expect(unknown).toEqual([]);
  });

  it('keeps src/model free of imports from the project, and the ground floor on the ground', () => {
    const violations = edges
      .filter((e) => GROUND.includes(e.from) && (e.from === 'model' || !GROUND.includes(e.to)))
      .map((e) => `${e.from} -> ${e.to} (${e.file})`);
    expect(violations).toEqual([]);
  });

  it('has no import running back up the flow', () => {
    const violations = edges
      .filter((e) => FLOW.includes(e.from) && FLOW.includes(e.to))
      .filter((e) => FLOW.indexOf(e.to) > FLOW.indexOf(e.from))
      .map((e) => `${e.from} -> ${e.to} (${e.file})`);
    expect(violations).toEqual([]);
  });

  it('has no two folders importing each other', () => {
    const both = edges
      .filter((e) => graph.get(e.to)?.has(e.from) && e.from < e.to)
      .map((e) => `${e.from} <-> ${e.to}`);
    expect(both).toEqual([]);
  });

  it('lets no stage or ground module import an entry point', () => {
    const violations = edges
      .filter((e) => !ENTRY.includes(e.from) && ENTRY.includes(e.to))
      .map((e) => `${e.from} -> ${e.to} (${e.file})`);
    expect(violations).toEqual([]);
  });
});
