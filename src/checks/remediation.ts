// The commands findings tell people to run. Kept in one place so every finding spells a command the same way,
// with real values quoted for a POSIX shell (src/text/quote.ts): a remediation must paste and run as it is,
// and run nothing else.

import { STS_AUDIENCE } from '../model/sts.ts';
import { shellQuote } from '../text/quote.ts';

export { ACCESS_DENIED, STS_AUDIENCE } from '../model/sts.ts';
export { shellQuote };

function command(...words: string[]): string {
  return words.map(shellQuote).join(' ');
}

export function associateProviderCommand(clusterName: string, region: string): string {
  return command(
    'eksctl',
    'utils',
    'associate-iam-oidc-provider',
    '--cluster',
    clusterName,
    '--region',
    region,
    '--approve',
  );
}

/** Without a thumbprint list: AWS has filled it in itself since 2024 (docs/thumbprints.md). */
export function createProviderCommand(issuerUrl: string): string {
  return command(
    'aws',
    'iam',
    'create-open-id-connect-provider',
    '--url',
    issuerUrl,
    '--client-id-list',
    STS_AUDIENCE,
  );
}

export function deleteProviderCommand(providerArn: string): string {
  return command(
    'aws',
    'iam',
    'delete-open-id-connect-provider',
    '--open-id-connect-provider-arn',
    providerArn,
  );
}

export function addClientIdCommand(providerArn: string, clientId: string): string {
  return command(
    'aws',
    'iam',
    'add-client-id-to-open-id-connect-provider',
    '--open-id-connect-provider-arn',
    providerArn,
    '--client-id',
    clientId,
  );
}

export function removeClientIdCommand(providerArn: string, clientId: string): string {
  return command(
    'aws',
    'iam',
    'remove-client-id-from-open-id-connect-provider',
    '--open-id-connect-provider-arn',
    providerArn,
    '--client-id',
    clientId,
  );
}

export function updateThumbprintsCommand(providerArn: string, thumbprints: readonly string[]): string {
  return command(
    'aws',
    'iam',
    'update-open-id-connect-provider-thumbprint',
    '--open-id-connect-provider-arn',
    providerArn,
    '--thumbprint-list',
    ...thumbprints,
  );
}

export function showCertificatesCommand(host: string): string {
  return `openssl s_client -connect ${shellQuote(`${host}:443`)} -servername ${shellQuote(host)} -showcerts </dev/null`;
}

/** Several commands, run in order: one per line once the finding is made (see makeFinding). */
export interface Steps {
  steps: readonly string[];
}

export function steps(...commands: string[]): Steps {
  return { steps: commands };
}

/** `aws eks update-pod-identity-association` for one association, with the flags that change it. */
export function updateAssociationCommand(
  cluster: { name: string; region: string },
  association: { associationId: string },
  ...flags: string[]
): string {
  return associationCommand('update', cluster, association, ...flags);
}

/** `aws eks <verb>-pod-identity-association` for one association. */
export function associationCommand(
  verb: 'update' | 'delete',
  cluster: { name: string; region: string },
  association: { associationId: string },
  ...flags: string[]
): string {
  return command(
    'aws',
    'eks',
    `${verb}-pod-identity-association`,
    '--region',
    cluster.region,
    '--cluster-name',
    cluster.name,
    '--association-id',
    association.associationId,
    ...flags,
  );
}
