// serverless.yml as the benchmarks read it: the esbuild options of the Lambda bundle, the functions' memory.
// YAML 1.1 merge keys (`<<:`) on, as osls reads them.

import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

const FILE = new URL('../serverless.yml', import.meta.url);

export async function readServerlessConfig<T>(): Promise<T> {
  return parse(await readFile(FILE, 'utf8'), { merge: true }) as T;
}
