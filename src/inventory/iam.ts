import {
  GetOpenIDConnectProviderCommand,
  ListOpenIDConnectProvidersCommand,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import type { AwsClients, Credentials } from '../clients/aws.ts';
import type { CallLimiter } from '../clients/limit.ts';
import { withLimit } from '../clients/limit.ts';
import type { OidcProvider, Partition, Role } from '../model/inventory.ts';
import type { StringPool } from '../runtime/compact.ts';

/** The account's OIDC providers: one list call (IAM does not page it), then one Get per provider. */
export async function readProviders(
  clients: AwsClients,
  partition: Partition,
  accountId: string,
  credentials: Credentials | undefined,
  call: CallLimiter,
  texts: StringPool,
): Promise<OidcProvider[]> {
  const client = clients.iam(partition, credentials);
  const listed = await call(() => client.send(new ListOpenIDConnectProvidersCommand({})));
  const arns = (listed.OpenIDConnectProviderList ?? []).flatMap((p) => (p.Arn ? [p.Arn] : []));
  return Promise.all(
    arns.map(async (arn): Promise<OidcProvider> => {
      const provider = await call(() =>
        client.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })),
      );
      if (typeof provider.Url !== 'string')
        throw new Error(`iam:GetOpenIDConnectProvider ${arn} returned no Url`);
      return {
        accountId,
        // The ARN is also every trust policy's Federated principal for it: one copy of the two.
        arn: texts(arn),
        url: provider.Url,
        // The same audience and thumbprints in provider after provider: the run keeps one copy of each.
        clientIds: (provider.ClientIDList ?? []).map(texts),
        thumbprints: (provider.ThumbprintList ?? []).map(texts),
        createdAt: provider.CreateDate?.toISOString(),
      };
    }),
  );
}

/** Every role of the account with its trust policy, in pages of 1000 (the most IAM returns). */
export async function readRoles(
  clients: AwsClients,
  partition: Partition,
  accountId: string,
  credentials: Credentials | undefined,
  call: CallLimiter,
  texts: StringPool,
): Promise<Role[]> {
  const client = clients.iam(partition, credentials);
  const roles: Role[] = [];
  for await (const page of withLimit(paginateListRoles({ client, pageSize: 1000 }, {}), call)) {
    for (const role of page.Roles ?? []) {
      if (!role.Arn || !role.RoleName) continue;
      roles.push({
        accountId,
        // Also what service accounts' annotations and their pods' AWS_ROLE_ARN name: one copy of them all.
        arn: texts(role.Arn),
        name: role.RoleName,
        path: role.Path ?? '/',
        ...trustPolicyOf(role.AssumeRolePolicyDocument, texts),
      });
    }
  }
  return roles;
}

/**
 * The role's trust policy, parsed. IAM returns the document URL-encoded and the JS SDK does not decode it
 * (docs/trust-policies.md). `texts`, the run's pool, keeps one copy of what policy after policy repeats (the
 * version, the actions, the audience, a provider's ARN in each role it may assume).
 */
export function trustPolicyOf(
  encoded: string | undefined,
  texts: StringPool,
): Pick<Role, 'trustPolicy' | 'trustPolicyError'> {
  if (encoded === undefined)
    return { trustPolicyError: 'no AssumeRolePolicyDocument in the ListRoles response' };
  let text = encoded;
  // Tolerate an already-decoded document (some mocks and proxies decode it) rather than corrupt a literal '%'.
  if (!encoded.trimStart().startsWith('{')) {
    try {
      text = decodeURIComponent(encoded);
    } catch {
      return { trustPolicyError: 'trust policy is neither URL-encoded JSON nor JSON' };
    }
  }
  // IAM encodes the document once; text that still decodes to `{` was encoded twice, by whatever wrote it.
  if (/^\s*%7B/i.test(text)) {
    return { trustPolicyError: 'trust policy is URL-encoded twice (IAM returns it encoded once)' };
  }
  try {
    return { trustPolicy: JSON.parse(text, compactPolicyValue(texts)) };
  } catch (error) {
    return { trustPolicyError: `trust policy is not JSON: ${(error as Error).message}` };
  }
}

/**
 * JSON.parse's reviver for a trust policy: strings from the run's pool, and condition blocks as dictionaries.
 * A condition block is keyed by condition keys (only they hold a colon), and an IRSA trust's keys name its
 * cluster's issuer (`oidc.eks.<region>.amazonaws.com/id/<id>:sub`): V8 gave each such object hidden classes of
 * its own, one per key (docs/performance.md, "Memory"). An object made with no prototype is a dictionary from
 * the start and needs none; it reads and serializes as the same JSON object.
 */
function compactPolicyValue(texts: StringPool): (key: string, value: unknown) => unknown {
  return (_key, value) => {
    if (typeof value === 'string') return texts(value);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const keys = Object.keys(value);
    return keys.some((key) => key.includes(':')) ? Object.assign(Object.create(null), value) : value;
  };
}
