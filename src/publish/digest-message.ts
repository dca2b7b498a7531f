// One part of the digest as one SNS Publish: the subject, the message (JSON for machines and text for e-mail under
// MessageStructure json), the message attributes subscribers filter on, and its size as SNS counts it.

import { SEVERITIES } from '../model/finding.ts';
import type { Transition } from './alert-plan.ts';
import { renderEmail } from './digest-email.ts';
import { renderJson } from './digest-json.ts';
import {
  type DigestContext,
  type DigestCounts,
  highest,
  type PartView,
  subjectOf,
} from './digest-summary.ts';

export interface DigestPart {
  part: number;
  parts: number;
  transitions: Transition[];
  subject: string;
  /** The Publish `Message`: `{"default": <JSON digest>, "email": <text>}` (MessageStructure json). */
  message: string;
  attributes: Record<string, { DataType: 'String' | 'String.Array' | 'Number'; StringValue: string }>;
  /** Message + attributes + subject, as SNS counts them against its limit. */
  bytes: number;
}

export function renderPart(
  context: DigestContext,
  transitions: Transition[],
  part: number,
  parts: number,
  all: DigestCounts,
): DigestPart {
  const subject = subjectOf(all, part, parts);
  const view: PartView = { context, transitions, part, parts, all, subject };
  const message = JSON.stringify({ default: renderJson(view), email: renderEmail(view) });
  const attributes = attributesOf(view);
  const bytes = Buffer.byteLength(message) + attributeBytes(attributes) + Buffer.byteLength(subject);
  return { part, parts, transitions, subject, message, attributes, bytes };
}

function attributesOf({ context, transitions, part, parts }: PartView): DigestPart['attributes'] {
  const alerting = transitions.filter((t) => t.kind !== 'resolved');
  const top = highest(alerting.length > 0 ? alerting : transitions) ?? 'info';
  const severities = SEVERITIES.filter((s) => transitions.some((t) => t.finding.severity === s));
  const checks = [...new Set(transitions.map((t) => t.finding.check))].sort();
  const kinds = (['new', 'resolved', 'reminder'] as const).filter((k) =>
    transitions.some((t) => t.kind === k),
  );
  // Eight attributes: SQS raw delivery drops messages with more than ten (docs/aws-apis.md).
  return {
    severity: { DataType: 'String', StringValue: top },
    severities: { DataType: 'String.Array', StringValue: JSON.stringify(severities) },
    checks: { DataType: 'String.Array', StringValue: JSON.stringify(checks) },
    kinds: { DataType: 'String.Array', StringValue: JSON.stringify(kinds) },
    trigger: { DataType: 'String', StringValue: context.report.trigger },
    digestId: { DataType: 'String', StringValue: context.digestId },
    part: { DataType: 'Number', StringValue: String(part) },
    parts: { DataType: 'Number', StringValue: String(parts) },
  };
}

function attributeBytes(attributes: DigestPart['attributes']): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(attributes)) {
    bytes +=
      Buffer.byteLength(name) + Buffer.byteLength(value.DataType) + Buffer.byteLength(value.StringValue);
  }
  return bytes;
}
