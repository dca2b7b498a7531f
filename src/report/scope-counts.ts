import type { Report } from './types.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The run's reach in one labelled phrase the table, the page and the digest all print, so their numbers agree:
 * what was in scope (the accounts and regions the run set out to read) next to what was audited (read).
 */
export function scopeCounts(report: Pick<Report, 'scope' | 'summary'>): string {
  const { scope, summary } = report;
  return (
    `in scope: ${plural(scope.accounts.length, 'account')}, ${plural(scope.regions.length, 'region')}; ` +
    `audited: ${plural(summary.accounts, 'account')}, ${plural(summary.regions, 'region')}`
  );
}
