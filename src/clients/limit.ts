// The run's one concurrency limit, as the AWS reads take it (created in src/audit.ts).

/** Runs one AWS call within the run's concurrency limit (applied at the leaf, so nested work cannot deadlock). */
export type CallLimiter = <T>(fn: () => Promise<T>) => Promise<T>;

/** Runs each page request of a paginator through the concurrency limit. */
export async function* withLimit<T>(pages: AsyncIterable<T>, call: CallLimiter): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  while (true) {
    const next = await call(() => iterator.next());
    if (next.done) return;
    yield next.value;
  }
}
