// The facts step holds every role's analysis of an organization at once: tens of thousands of small arrays.
// An array grown by push or filter keeps room for 16 more elements (V8 over-allocates on growth, 144 bytes for
// one element), so the arrays an analysis keeps are copied to their exact length (docs/performance.md, memory).

/** A copy of `items` whose storage holds exactly its elements. */
export function exact<T>(items: T[]): T[] {
  return items.slice();
}
