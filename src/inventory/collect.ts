import { parseIssuerUrl } from '../aws/issuer-url.ts';
import type { AwsClients, CallLimiter } from '../clients/aws.ts';
import { budgetError } from '../scope/resolve.ts';
import type { AccountTarget, Scope } from '../scope/types.ts';
import { auditError } from './audit-error.ts';
import { readClusters } from './eks.ts';
import { readProviders, readRoles } from './iam.ts';
import type { IssuerProber, ProbeResult } from './probe.ts';
import type { AuditError, AuditedAccount, Cluster, Inventory, OidcProvider, Role } from './types.ts';

export interface CollectOptions {
  clients: AwsClients;
  prober: IssuerProber;
  /** Runs one AWS call within the run's concurrency limit. */
  call: CallLimiter;
  signal?: AbortSignal;
  onProgress?: (stage: 'inventory' | 'probe', done: number, total: number) => void;
}

/**
 * Reads everything the checks need. Each unit of work (an account's providers, its roles, one region's
 * clusters) fails on its own: its error is recorded and the rest of the audit goes on.
 */
export async function collectInventory(scope: Scope, options: CollectOptions): Promise<Inventory> {
  const clusters: Cluster[] = [];
  const providers: OidcProvider[] = [];
  const roles: Role[] = [];
  const errors: AuditError[] = [...scope.errors];
  const accounts: AuditedAccount[] = [];

  const total = scope.targets.reduce((sum, t) => sum + 2 + t.regions.length, 0);
  let done = 0;
  const unit = async <T>(accountId: string, region: string | null, stage: string, work: () => Promise<T>) => {
    try {
      if (options.signal?.aborted) {
        errors.push({ ...budgetError(accountId, region), stage: `time budget (${stage})` });
        return undefined;
      }
      return await work();
    } catch (error) {
      errors.push(auditError(accountId, region, stage, error));
      return undefined;
    } finally {
      options.onProgress?.('inventory', ++done, total);
    }
  };

  await Promise.all(
    scope.targets.map(async (target: AccountTarget) => {
      const { accountId, partition, credentials } = target;
      const audited: AuditedAccount = {
        accountId,
        partition,
        regionsAudited: [],
        providersAudited: false,
        rolesAudited: false,
      };
      accounts.push(audited);
      const work: Promise<unknown>[] = [
        unit(accountId, null, 'iam-providers', async () => {
          providers.push(
            ...(await readProviders(options.clients, partition, accountId, credentials, options.call)),
          );
          audited.providersAudited = true;
        }),
        unit(accountId, null, 'iam-roles', async () => {
          roles.push(...(await readRoles(options.clients, partition, accountId, credentials, options.call)));
          audited.rolesAudited = true;
        }),
        ...target.regions.map((region) =>
          unit(accountId, region, 'eks', async () => {
            clusters.push(
              ...(await readClusters(options.clients, accountId, region, credentials, options.call)),
            );
            audited.regionsAudited.push(region);
          }),
        ),
      ];
      await Promise.all(work);
      audited.regionsAudited.sort();
    }),
  );

  const issuers = [...new Set(clusters.flatMap((c) => (c.issuer ? [c.issuer] : [])))].sort();
  let probed: ProbeResult = { hosts: [], issuers: [] };
  if (options.signal?.aborted) {
    // Unprobed issuers carry no result, so no check judges them; the errors say what was not reached.
    errors.push(...unprobedHosts(issuers));
  } else {
    probed = await options.prober.probe(issuers);
  }

  accounts.sort((a, b) => a.accountId.localeCompare(b.accountId));
  clusters.sort((a, b) => a.arn.localeCompare(b.arn));
  providers.sort((a, b) => a.arn.localeCompare(b.arn));
  roles.sort((a, b) => a.arn.localeCompare(b.arn));
  return { accounts, clusters, providers, roles, hosts: probed.hosts, issuers: probed.issuers, errors };
}

function unprobedHosts(issuers: string[]): AuditError[] {
  const hosts = new Map<string, string | null>();
  for (const issuer of issuers) {
    const parsed = parseIssuerUrl(issuer);
    if (parsed) hosts.set(parsed.host, parsed.region ?? null);
  }
  return [...hosts].map(([host, region]) => ({
    ...budgetError(null, region),
    stage: 'time budget (issuer probe)',
    message: `issuer host ${host} not probed: the audit stopped starting new work before its deadline`,
  }));
}
