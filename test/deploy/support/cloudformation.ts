// A template's values as CloudFormation would give them at deploy time, for the intrinsic functions our two
// templates use (Ref, Fn::Sub, Fn::GetAtt, Fn::If, Fn::Join, Fn::Split, Fn::Select and the condition functions),
// and its parameters checked as CloudFormation checks them. Roles' ARNs are rendered as IAM gives them; other
// resources' ids and attributes as markers no IAM rule can match. Any other function throws: a test must not
// pass on a value this renderer guessed.

import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';

export interface Template {
  Parameters?: Record<string, { Type: string; Default?: string; AllowedPattern?: string }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown }>;
}

export interface Stack {
  template: Template;
  stackName: string;
  accountId: string;
  region: string;
  partition?: string;
  parameters?: Record<string, string>;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** A template of deploy/ (`member-role.yaml`, `cluster-access.yaml`), parsed. */
export function deployTemplate(file: string): Template {
  return yaml.load(readFileSync(new URL(`../../../deploy/${file}`, import.meta.url), 'utf8')) as Template;
}

/** Whether `value` passes `parameter`'s AllowedPattern; a parameter without one lets nothing pass. */
export function allowedBy(template: Template, parameter: string, value: string): boolean {
  return new RegExp(template.Parameters?.[parameter]?.AllowedPattern ?? '(?!)').test(value);
}

/** The parameters CloudFormation would accept: defaults filled in, each against its AllowedPattern. */
export function parameterValues(stack: Stack): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(stack.template.Parameters ?? {})) {
    const value = stack.parameters?.[name] ?? parameter.Default;
    if (value === undefined) throw new Error(`parameter ${name}: a value is required`);
    if (parameter.AllowedPattern && !new RegExp(parameter.AllowedPattern).test(value)) {
      throw new Error(`parameter ${name}: ${value} does not match ${parameter.AllowedPattern}`);
    }
    values[name] = value;
  }
  return values;
}

/** A role's physical name: its RoleName, or the one CloudFormation makes up. */
export function roleName(stack: Stack, logicalId: string): string {
  const resource = stack.template.Resources[logicalId];
  if (resource?.Type !== 'AWS::IAM::Role') throw new Error(`${logicalId} is not a role of the template`);
  const name = resource.Properties.RoleName;
  // CloudFormation's own: stack name and logical id cut to fit IAM's 64 characters, then a random suffix.
  if (name === undefined) return `${`${stack.stackName}-${logicalId}`.slice(0, 51)}-A1B2C3D4E5F6`;
  return String(render(stack, name));
}

export function roleArn(stack: Stack, logicalId: string): string {
  return `arn:${stack.partition ?? 'aws'}:iam::${stack.accountId}:role/${roleName(stack, logicalId)}`;
}

function pseudo(stack: Stack, name: string): string | typeof NO_VALUE {
  switch (name) {
    case 'AWS::Partition':
      return stack.partition ?? 'aws';
    case 'AWS::AccountId':
      return stack.accountId;
    case 'AWS::Region':
      return stack.region;
    case 'AWS::StackName':
      return stack.stackName;
    case 'AWS::NoValue':
      return NO_VALUE;
    default:
      throw new Error(`cannot render Ref ${name}`);
  }
}

function ref(stack: Stack, name: string): unknown {
  if (name.startsWith('AWS::')) return pseudo(stack, name);
  const parameters = parameterValues(stack);
  if (name in parameters) return parameters[name];
  if (name in stack.template.Resources) return `physical-id-of-${name}`;
  throw new Error(`cannot render Ref ${name}: no such parameter or resource`);
}

/** A role's ARN as IAM gives it; of any other resource, a marker (no trust or AssumeRole rule can match it). */
function getAtt(stack: Stack, [logicalId, attribute]: [string, string]): string {
  const resource = stack.template.Resources[logicalId];
  if (resource === undefined) throw new Error(`cannot render Fn::GetAtt ${logicalId}: no such resource`);
  if (resource.Type === 'AWS::IAM::Role' && attribute === 'Arn') return roleArn(stack, logicalId);
  return `${attribute}-of-${logicalId}`;
}

function sub(stack: Stack, argument: unknown): string {
  const [text, variables] = Array.isArray(argument)
    ? (argument as [string, Record<string, unknown>])
    : [argument as string, {}];
  return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name in variables) return String(render(stack, variables[name]));
    if (name.includes('.')) return getAtt(stack, name.split('.') as [string, string]);
    return String(ref(stack, name));
  });
}

/** Whether the template's condition `name` holds for the stack's parameters. */
export function condition(stack: Stack, name: string): boolean {
  const definition = stack.template.Conditions?.[name];
  if (definition === undefined) throw new Error(`no condition ${name}`);
  return Boolean(render(stack, definition));
}

/** The value CloudFormation would deploy for `value` (Ref AWS::NoValue drops the key or element). */
export function render(stack: Stack, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => render(stack, v)).filter((v) => v !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const [key, argument] = entries[0] ?? [];
  if (
    entries.length === 1 &&
    key !== undefined &&
    (key === 'Ref' || key.startsWith('Fn::') || key === 'Condition')
  ) {
    return intrinsic(stack, key, argument);
  }
  const rendered: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    const out = render(stack, v);
    if (out !== NO_VALUE) rendered[k] = out;
  }
  return rendered;
}

function intrinsic(stack: Stack, key: string, argument: unknown): unknown {
  const args = argument as unknown[];
  switch (key) {
    case 'Ref':
      return ref(stack, argument as string);
    case 'Fn::Sub':
      return sub(stack, argument);
    case 'Fn::GetAtt':
      return getAtt(stack, argument as [string, string]);
    case 'Fn::If':
      return render(stack, condition(stack, args[0] as string) ? args[1] : args[2]);
    case 'Fn::Join':
      return (render(stack, args[1]) as unknown[]).join(args[0] as string);
    case 'Fn::Split':
      return String(render(stack, args[1])).split(args[0] as string);
    case 'Fn::Select':
      return (render(stack, args[1]) as unknown[])[Number(args[0])];
    case 'Fn::Equals':
      return String(render(stack, args[0])) === String(render(stack, args[1]));
    case 'Fn::Not':
      return !render(stack, args[0]);
    case 'Condition':
      return condition(stack, argument as string);
    default:
      throw new Error(`cannot render ${key}`);
  }
}
