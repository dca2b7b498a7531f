// Security Hub CSPM (restJson1): the findings of the calling account's hub in the signed region, with what the
// auditor uses: BatchImportFindings (at most 100, ASFF fields checked, updates only when UpdatedAt moves on),
// GetFindings (filters ProductArn / GeneratorId / RecordState, pages of MaxResults), BatchUpdateFindings
// (Workflow.Status). Findings the world plants as refused (`faults.securityHubRefused`) fail with their ids.

import { ApiError } from '../errors.ts';
import { pageOffset, paginate } from '../paging.ts';
import type { JsonObject } from '../protocols/json.ts';
import type { SandboxState } from '../state.ts';
import type { CallContext, RestJsonService, RestRequest } from './types.ts';

type Stored = JsonObject & { Id: string; ProductArn: string; UpdatedAt: string };
const hubs = new WeakMap<SandboxState, Map<string, Map<string, Stored>>>();

function hubOf(ctx: CallContext): Map<string, Stored> {
  let byHub = hubs.get(ctx.state);
  if (!byHub) {
    byHub = new Map();
    hubs.set(ctx.state, byHub);
  }
  const key = `${ctx.account.id}|${ctx.region}`;
  let hub = byHub.get(key);
  if (!hub) {
    hub = new Map();
    byHub.set(key, hub);
  }
  return hub;
}

/** What a test reads back: the findings of one account's hub in one region. */
export function securityHubFindings(state: SandboxState, account: string, region: string): Stored[] {
  return [...(hubs.get(state)?.get(`${account}|${region}`)?.values() ?? [])];
}

const REQUIRED = [
  'SchemaVersion',
  'Id',
  'ProductArn',
  'GeneratorId',
  'AwsAccountId',
  'CreatedAt',
  'UpdatedAt',
  'Title',
  'Description',
  'Resources',
];

function batchImportFindings(ctx: CallContext, request: RestRequest): unknown {
  const findings = Array.isArray(request.body.Findings) ? (request.body.Findings as JsonObject[]) : [];
  if (findings.length === 0 || findings.length > 100)
    throw new ApiError('InvalidInputException', 'Findings must hold 1 to 100 findings', 400);
  const hub = hubOf(ctx);
  const failed: JsonObject[] = [];
  for (const finding of findings) {
    const id = String(finding.Id ?? '');
    const missing = REQUIRED.filter((key) => finding[key] === undefined);
    const fail = (code: string, message: string) =>
      failed.push({ Id: id, ErrorCode: code, ErrorMessage: message });
    if (missing.length > 0) fail('InvalidInput', `missing ${missing.join(', ')}`);
    else if (finding.AwsAccountId !== ctx.account.id)
      fail('AccessDeniedException', 'AwsAccountId is not the caller');
    else if (ctx.state.world.faults.securityHubRefused.includes(id))
      fail('InvalidInput', 'refused (sandbox fault)');
    else {
      const known = hub.get(id);
      if (!known || String(finding.UpdatedAt) >= known.UpdatedAt) {
        // The provider cannot change the workflow of a finding that exists (BatchUpdateFindings does that).
        hub.set(id, { ...finding, ...(known ? { Workflow: known.Workflow } : {}) } as Stored);
      }
    }
  }
  return {
    FailedCount: failed.length,
    SuccessCount: findings.length - failed.length,
    FailedFindings: failed,
  };
}

function matches(value: unknown, filters: unknown): boolean {
  if (!Array.isArray(filters)) return true;
  return (filters as { Value: string; Comparison: string }[]).some((filter) =>
    filter.Comparison === 'PREFIX' ? String(value ?? '').startsWith(filter.Value) : value === filter.Value,
  );
}

function getFindings(ctx: CallContext, request: RestRequest): unknown {
  const filters = (request.body.Filters ?? {}) as Record<string, unknown>;
  const all = [...hubOf(ctx).values()].filter(
    (f) =>
      matches(f.ProductArn, filters.ProductArn) &&
      matches(f.GeneratorId, filters.GeneratorId) &&
      matches(f.RecordState, filters.RecordState),
  );
  const max = Number(request.body.MaxResults ?? 100);
  const scope = `securityhub:GetFindings:${ctx.account.id}:${ctx.region}`;
  const token = typeof request.body.NextToken === 'string' ? request.body.NextToken : undefined;
  const offset = token === undefined ? 0 : pageOffset(scope, token);
  if (offset === undefined) throw new ApiError('InvalidInputException', 'bad NextToken', 400);
  const page = paginate(all, scope, offset, Math.min(Math.max(max, 1), 100));
  return { Findings: page.items, ...(page.next ? { NextToken: page.next } : {}) };
}

function batchUpdateFindings(ctx: CallContext, request: RestRequest): unknown {
  const ids = (request.body.FindingIdentifiers ?? []) as { Id: string; ProductArn: string }[];
  const hub = hubOf(ctx);
  const processed: JsonObject[] = [];
  const unprocessed: JsonObject[] = [];
  for (const identifier of ids) {
    const finding = hub.get(identifier.Id);
    if (!finding)
      unprocessed.push({
        FindingIdentifier: identifier,
        ErrorCode: 'FindingNotFound',
        ErrorMessage: 'not found',
      });
    else {
      hub.set(identifier.Id, {
        ...finding,
        ...(request.body.Workflow ? { Workflow: request.body.Workflow } : {}),
        ...(request.body.Note ? { Note: request.body.Note } : {}),
      });
      processed.push(identifier);
    }
  }
  return { ProcessedFindings: processed, UnprocessedFindings: unprocessed };
}

export const securityhub: RestJsonService = {
  name: 'securityhub',
  signingName: 'securityhub',
  protocol: 'restJson',
  global: false,
  routes: [
    { method: 'POST', pattern: '/findings/import', operation: 'BatchImportFindings' },
    { method: 'POST', pattern: '/findings', operation: 'GetFindings' },
    { method: 'PATCH', pattern: '/findings/batchupdate', operation: 'BatchUpdateFindings' },
  ],
  operations: {
    BatchImportFindings: batchImportFindings,
    GetFindings: getFindings,
    BatchUpdateFindings: batchUpdateFindings,
  },
};
