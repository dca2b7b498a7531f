// EKS Pod Identity of one cluster: its associations (every page, then each one's details once) and, where there
// are associations, the `eks-pod-identity-agent` add-on that serves them. docs/pod-identity.md.

import {
  DescribeAddonCommand,
  DescribePodIdentityAssociationCommand,
  type EKSClient,
  paginateListAddons,
  paginateListPodIdentityAssociations,
} from '@aws-sdk/client-eks';
import { type CallLimiter, withLimit } from '../clients/limit.ts';
import {
  POD_IDENTITY_AGENT_ADDON,
  type PodIdentity,
  type PodIdentityAssociation,
} from '../model/inventory.ts';

export async function readPodIdentity(
  client: EKSClient,
  clusterName: string,
  call: CallLimiter,
): Promise<PodIdentity> {
  const ids: string[] = [];
  const pages = paginateListPodIdentityAssociations({ client, pageSize: 100 }, { clusterName });
  for await (const page of withLimit(pages, call)) {
    for (const summary of page.associations ?? []) if (summary.associationId) ids.push(summary.associationId);
  }
  const associations = await Promise.all(
    ids.map(async (associationId): Promise<PodIdentityAssociation> => {
      const { association } = await call(() =>
        client.send(new DescribePodIdentityAssociationCommand({ clusterName, associationId })),
      );
      const { associationArn, namespace, serviceAccount, roleArn } = association ?? {};
      if (!associationArn || !namespace || !serviceAccount || !roleArn)
        throw new Error(
          `eks:DescribePodIdentityAssociation ${associationId} of ${clusterName} returned no associationArn, namespace, serviceAccount or roleArn`,
        );
      return {
        associationArn,
        associationId,
        namespace,
        serviceAccount,
        roleArn,
        ...(association?.targetRoleArn ? { targetRoleArn: association.targetRoleArn } : {}),
        ...(association?.externalId ? { externalId: association.externalId } : {}),
        disableSessionTags: association?.disableSessionTags === true,
        ...(association?.policy ? { sessionPolicy: association.policy } : {}),
      };
    }),
  );
  if (associations.length === 0) return { associations };
  return { associations, agent: await readAgent(client, clusterName, call) };
}

async function readAgent(
  client: EKSClient,
  clusterName: string,
  call: CallLimiter,
): Promise<PodIdentity['agent']> {
  let installed = false;
  for await (const page of withLimit(paginateListAddons({ client, pageSize: 100 }, { clusterName }), call)) {
    if (page.addons?.includes(POD_IDENTITY_AGENT_ADDON)) installed = true;
  }
  if (!installed) return null;
  const { addon } = await call(() =>
    client.send(new DescribeAddonCommand({ clusterName, addonName: POD_IDENTITY_AGENT_ADDON })),
  );
  return {
    status: addon?.status ?? 'UNKNOWN',
    ...(addon?.addonVersion ? { version: addon.addonVersion } : {}),
  };
}
