// The roles of a packaged auditor stack and of deploy/member-role.yaml as they would be deployed, put into sandbox
// worlds: the auditor's roles in its account (trust and permissions as rendered), the member role in each member
// account trusting what the stack's Output AuditorRoleArn names.
import type { WorldInput } from '../../sandbox/world.ts';
import {
  deployTemplate,
  parameterValues,
  render,
  roleArn,
  roleName,
  type Stack,
  type Template,
} from './cloudformation.ts';

type RoleInput = NonNullable<WorldInput['accounts'][number]['roles']>[number];
type Statement = { Effect?: string; Action?: string | string[] };

export const AUDITOR_ACCOUNT = '111111111111';
export const ORG_ID = 'o-a1b2c3d4e5';
export const EXTERNAL_ID = 'eks-oidc-audit-e2e';
export const REGION = 'us-east-1';

const MEMBER_TEMPLATE = deployTemplate('member-role.yaml');

/** The auditor's stack as deployed to AUDITOR_ACCOUNT from a packaged template. */
export function auditorStack(template: unknown): Stack {
  return {
    template: template as Template,
    stackName: 'eks-oidc-auditor-dev',
    accountId: AUDITOR_ACCOUNT,
    region: REGION,
  };
}

const roleIds = (stack: Stack) =>
  Object.entries(stack.template.Resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Role')
    .map(([id]) => id);

/** A role's inline policies, rendered, as one policy document. */
function permissionsOf(stack: Stack, logicalId: string): { Version: string; Statement: unknown[] } {
  const policies = (stack.template.Resources[logicalId]?.Properties.Policies ?? []) as {
    PolicyDocument: unknown;
  }[];
  const statements = policies.flatMap(
    (policy) => (render(stack, policy.PolicyDocument) as { Statement: unknown[] }).Statement,
  );
  return { Version: '2012-10-17', Statement: statements };
}

/** The ARNs of the stack's roles whose own policy allows sts:AssumeRole at all (on any resource). */
export function rolesThatAssume(stack: Stack): string[] {
  return roleIds(stack)
    .filter((id) =>
      (permissionsOf(stack, id).Statement as Statement[]).some(
        (s) =>
          s.Effect === 'Allow' &&
          [s.Action ?? []].flat().some((a) => /^(sts:AssumeRole|sts:\*|\*)$/i.test(a)),
      ),
    )
    .map((id) => roleArn(stack, id))
    .sort();
}

/** Every role of the stack, as the sandbox world declares roles: name, trust, permissions. */
export function auditorRoles(stack: Stack): RoleInput[] {
  return roleIds(stack).map((id) => ({
    name: roleName(stack, id),
    trust: render(stack, stack.template.Resources[id]?.Properties.AssumeRolePolicyDocument) as Record<
      string,
      unknown
    >,
    permissions: permissionsOf(stack, id),
  }));
}

/** The stack's Output AuditorRoleArn, rendered. */
export function auditorRoleArnOutput(stack: Stack): string {
  const output = stack.template.Outputs?.AuditorRoleArn;
  if (!output) throw new Error('the template has no Output AuditorRoleArn');
  return String(render(stack, output.Value));
}

/** deploy/member-role.yaml deployed into `accountId` with these parameters: its role, as a world role. */
export function memberRole(accountId: string, auditorRoleArn: string, externalId = EXTERNAL_ID): RoleInput {
  const stack: Stack = {
    template: MEMBER_TEMPLATE,
    stackName: 'eks-oidc-auditor-member-role',
    accountId,
    region: REGION,
    parameters: { AuditorRoleArn: auditorRoleArn, ExternalId: externalId },
  };
  const role = MEMBER_TEMPLATE.Resources.AuditRole?.Properties ?? {};
  return {
    name: parameterValues(stack).RoleName ?? '',
    trust: render(stack, role.AssumeRolePolicyDocument) as Record<string, unknown>,
    permissions: permissionsOf(stack, 'AuditRole'),
  };
}
