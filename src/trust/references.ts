import { parseArn } from '../aws/arn.ts';
import { issuerMatchKey } from '../aws/issuer-url.ts';
import type { Role } from '../inventory/types.ts';

/** The OIDC provider ARNs that a trust policy's statements name as `Principal.Federated` (any effect). */
export function federatedProviderArns(trustPolicy: unknown): string[] {
  const statements = statementsOf(trustPolicy);
  const arns: string[] = [];
  for (const statement of statements) {
    const principal = (statement as { Principal?: unknown }).Principal;
    if (typeof principal !== 'object' || principal === null) continue;
    const federated = (principal as { Federated?: unknown }).Federated;
    for (const value of Array.isArray(federated) ? federated : [federated]) {
      if (typeof value === 'string' && value.includes(':oidc-provider/')) arns.push(value);
    }
  }
  return arns;
}

/** The issuer match key (see issuerMatchKey) of an OIDC provider ARN, or undefined for another kind of ARN. */
export function issuerKeyOfProviderArn(arn: string): string | undefined {
  const parsed = parseArn(arn);
  if (parsed?.service !== 'iam' || !parsed.resource.startsWith('oidc-provider/')) return undefined;
  return issuerMatchKey(parsed.resource.slice('oidc-provider/'.length));
}

/** Roles of `accountId` whose trust policy names a provider for the issuer with match key `issuerKey`. */
export function rolesTrustingIssuer(roles: readonly Role[], accountId: string, issuerKey: string): Role[] {
  return roles.filter(
    (role) =>
      role.accountId === accountId &&
      federatedProviderArns(role.trustPolicy).some((arn) => issuerKeyOfProviderArn(arn) === issuerKey),
  );
}

function statementsOf(policy: unknown): unknown[] {
  if (typeof policy !== 'object' || policy === null) return [];
  const statement = (policy as { Statement?: unknown }).Statement;
  if (Array.isArray(statement)) return statement;
  return statement === undefined ? [] : [statement];
}
