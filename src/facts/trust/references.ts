import { parseArn } from '../../naming/arn.ts';
import { issuerMatchKey } from '../../naming/issuer-url.ts';
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

/** The issuer match key (see issuerMatchKey) of an OIDC provider ARN, or undefined for another kind of ARN. */
export function issuerKeyOfProviderArn(arn: string): string | undefined {
  const parsed = parseArn(arn);
  if (parsed?.service !== 'iam' || !parsed.resource.startsWith('oidc-provider/')) return undefined;
  return issuerMatchKey(parsed.resource.slice('oidc-provider/'.length));
}
