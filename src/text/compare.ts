// Code-unit order, not localeCompare: the order of what the auditor writes must not depend on the runtime's locale.
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
