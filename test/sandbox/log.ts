// What the sandbox saw. Counters always (cheap enough for the 70,000-call benchmark); full entries only
// when asked for, since tests want them and the benchmark does not.

export interface LogEntry {
  seq: number;
  /** Milliseconds since the sandbox started. */
  at: number;
  service: string;
  operation: string;
  account: string | undefined;
  region: string | undefined;
  status: number;
  /** The error code returned, if any. */
  error: string | undefined;
  /** Handler detail worth asserting on (AssumeRole's ExternalId and session name, ...). */
  detail?: Record<string, unknown>;
}

export interface AssumeRoleRecord {
  callerAccount: string;
  roleArn: string;
  roleSessionName: string | undefined;
  externalId: string | undefined;
  /** 'ok' or the error code returned. */
  outcome: string;
}

export class RequestLog {
  readonly entries: LogEntry[] = [];
  readonly assumeRoles: AssumeRoleRecord[] = [];
  private readonly started = Date.now();
  private readonly byOp = new Map<string, number>();
  private readonly byService = new Map<string, number>();
  private readonly byError = new Map<string, number>();
  private readonly byAccount = new Map<string, number>();
  private total = 0;
  private seq = 0;
  inFlight = 0;
  maxInFlight = 0;
  readonly keepEntries: boolean;

  constructor(keepEntries: boolean) {
    this.keepEntries = keepEntries;
  }

  begin(): void {
    this.inFlight++;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
  }

  record(entry: Omit<LogEntry, 'seq' | 'at'>): void {
    this.inFlight--;
    this.total++;
    const opKey = `${entry.service}:${entry.operation}`;
    this.byOp.set(opKey, (this.byOp.get(opKey) ?? 0) + 1);
    this.byService.set(entry.service, (this.byService.get(entry.service) ?? 0) + 1);
    if (entry.error) this.byError.set(entry.error, (this.byError.get(entry.error) ?? 0) + 1);
    if (entry.account) this.byAccount.set(entry.account, (this.byAccount.get(entry.account) ?? 0) + 1);
    if (this.keepEntries) this.entries.push({ seq: ++this.seq, at: Date.now() - this.started, ...entry });
  }

  /** Requests seen, optionally only for a service (`'eks'`) and operation (`'ListClusters'`). */
  calls(service?: string, operation?: string): number {
    if (service === undefined) return this.total;
    if (operation === undefined) return this.byService.get(service) ?? 0;
    return this.byOp.get(`${service}:${operation}`) ?? 0;
  }

  /** The kept entries, optionally only a service's (`'eks'`) and operation's (`'ListClusters'`), as answered. */
  entriesOf(service?: string, operation?: string): LogEntry[] {
    return this.entries.filter(
      (e) =>
        (service === undefined || e.service === service) &&
        (operation === undefined || e.operation === operation),
    );
  }

  /** Counts keyed `service:Operation`. */
  byOperation(): Record<string, number> {
    return Object.fromEntries([...this.byOp].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Error responses, optionally only those with a code. */
  errors(code?: string): number {
    if (code !== undefined) return this.byError.get(code) ?? 0;
    let sum = 0;
    for (const n of this.byError.values()) sum += n;
    return sum;
  }

  callsByAccount(account: string): number {
    return this.byAccount.get(account) ?? 0;
  }

  reset(): void {
    this.entries.length = 0;
    this.assumeRoles.length = 0;
    this.byOp.clear();
    this.byService.clear();
    this.byError.clear();
    this.byAccount.clear();
    this.total = 0;
    this.maxInFlight = this.inFlight;
  }
}
