import { parseTrustPolicy, principalValues } from './policy.ts';

/**
 * The OIDC provider ARNs that the trust policy's Allow statements name as `Principal.Federated`: the issuers whose
 * tokens the role is meant to accept. A Deny naming a provider is no sign that IRSA is in use.
 */
export function federatedProviderArns(trustPolicy: unknown): string[] {
  const parsed = parseTrustPolicy(trustPolicy);
  if (!parsed.ok) return [];
  return parsed.policy.statements
    .filter((statement) => statement.effect === 'Allow')
    .flatMap((statement) => principalValues(statement.principal, 'Federated'))
    .filter((value) => value.includes(':oidc-provider/'));
}
