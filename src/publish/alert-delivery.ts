// One run's alerts, delivered as a small protocol over the alert state (state.ts says why it is safe against
// reruns, overlapping runs and retries): claim each transition, deliver the digest of what was claimed, settle
// each claim (confirm what SNS accepted, release the rest). Each step returns what it did; the outcome is read
// from those at the end, with the failure that makes the run fail, if any.

import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Report } from '../report/types.ts';
import { type AlertPlan, type AlertPolicy, planAlerts, type Refresh, type Transition } from './alert-plan.ts';
import type { DigestPart } from './digest-message.ts';
import { splitDigest } from './digest-split.ts';
import { errorText } from './error-text.ts';
import type { PublishLog } from './log.ts';
import { type AlertOutcome, noAlerts } from './outcome.ts';
import type { StoredReports } from './report-store.ts';
import { type AlertStateStore, CLAIM_TTL_MS } from './state.ts';

const WRITE_CONCURRENCY = 16;

/** What sending one run's alerts needs, resolved from the configuration and the run's edges. */
export interface AlertRun {
  store: AlertStateStore;
  policy: AlertPolicy;
  now: Date;
  topicArn: string;
  /** The SNS client of the topic's region, made only when there is a digest to deliver. */
  sns: () => SNSClient;
  newDigestId: () => string;
  log: PublishLog;
  /** The run's reports in the stack's bucket, when stored: the digest links to them. */
  reports?: StoredReports;
}

/** The outcome, and what failed when the run must fail (so that Lambda retries what was left). */
export interface AlertResult {
  outcome: AlertOutcome;
  failure?: unknown;
}

/** The store's writes of one run: bounded in number at a time, each failing alone. */
interface Writes {
  store: AlertStateStore;
  limit: LimitFunction;
  log: PublishLog;
  now: Date;
}

export async function sendAlerts(report: Report, run: AlertRun): Promise<AlertResult> {
  const writes: Writes = { store: run.store, limit: pLimit(WRITE_CONCURRENCY), log: run.log, now: run.now };
  const plan = planAlerts(report, await run.store.load(), run.policy, { now: run.now });
  await refresh(writes, plan.refreshes);
  if (plan.transitions.length === 0) return { outcome: { ...noAlerts('unchanged'), skipped: plan.skipped } };

  const digestId = run.newDigestId();
  const claims = await claim(writes, digestId, plan.transitions);
  if (claims.claimed.length === 0) return outcomeOf(plan, digestId, claims, NOTHING_DELIVERED);
  const delivery = await deliver(report, run, digestId, claims.claimed);
  await settle(writes, digestId, claims.claimed, delivery.sent, report.startedAt);
  return outcomeOf(plan, digestId, claims, delivery);
}

/** Refreshes only keep stored text current; one that fails is tried again next run. */
async function refresh(writes: Writes, refreshes: readonly Refresh[]): Promise<void> {
  await Promise.all(
    refreshes.map((request) =>
      writes.limit(() =>
        writes.store.refresh(request).catch((error: unknown) => {
          writes.log.warn('alert state: could not refresh a finding', {
            findingId: request.finding.id,
            error: errorText(error),
          });
          return false;
        }),
      ),
    ),
  );
}

// ---- claim ---------------------------------------------------------------------------------------------

interface Claimed {
  transition: Transition;
  /** The version the claim wrote: confirm and release are conditional on it. */
  version: number;
}

interface Claims {
  /** In digest order. */
  claimed: Claimed[];
  /** Another run changed the item first: that run sends it. */
  lostToOtherRuns: number;
  /** The claim's write failed: not sent, left for the retry. */
  unclaimed: Transition[];
  /** The first failed claim's error. */
  failure?: unknown;
}

async function claim(writes: Writes, digestId: string, transitions: readonly Transition[]): Promise<Claims> {
  const expiresAt = new Date(writes.now.getTime() + CLAIM_TTL_MS).toISOString();
  // Each claim on its own: one write failing must not abandon the claims already taken (they would block the
  // Lambda's retry until they expire) nor the transitions still to claim.
  const results = await Promise.allSettled(
    transitions.map((t) =>
      writes.limit(() =>
        writes.store.claim({
          kind: t.kind,
          finding: t.finding,
          expectedVersion: t.expectedVersion,
          claim: { digestId, expiresAt, kind: t.kind },
          now: writes.now,
        }),
      ),
    ),
  );
  const claims = claimsOf(transitions, results);
  await releaseUnanswered(writes, digestId, claims.unclaimed);
  return claims;
}

function claimsOf(
  transitions: readonly Transition[],
  results: readonly PromiseSettledResult<number | null>[],
): Claims {
  const claims: Claims = { claimed: [], lostToOtherRuns: 0, unclaimed: [] };
  transitions.forEach((transition, index) => {
    const result = results[index] as PromiseSettledResult<number | null>;
    if (result.status === 'rejected') {
      if (claims.unclaimed.length === 0) claims.failure = result.reason;
      claims.unclaimed.push(transition);
    } else if (result.value === null) {
      claims.lostToOtherRuns++;
    } else {
      claims.claimed.push({ transition, version: result.value });
    }
  });
  return claims;
}

/**
 * A claim whose answer was lost may still have been written: release it, conditionally on our digest, so the
 * retry finds the item free. Where it was not written, the condition fails and nothing changes.
 */
async function releaseUnanswered(writes: Writes, digestId: string, unclaimed: readonly Transition[]) {
  await Promise.allSettled(
    unclaimed.map((t) =>
      writes.limit(() =>
        writes.store.release({ findingId: t.finding.id, version: (t.expectedVersion ?? 0) + 1, digestId }),
      ),
    ),
  );
}

// ---- deliver -------------------------------------------------------------------------------------------

interface Delivery {
  /** How many SNS messages the digest took. */
  parts: number;
  /** The parts SNS accepted, in order: delivery stops at the first refused. */
  delivered: readonly DigestPart[];
  /** The findings of the accepted parts. */
  sent: ReadonlySet<string>;
  failure?: unknown;
}

const NOTHING_DELIVERED: Delivery = { parts: 0, delivered: [], sent: new Set() };

/** The digest of what was claimed, part after part, until SNS refuses one (the rest are released). */
async function deliver(report: Report, run: AlertRun, digestId: string, claimed: readonly Claimed[]) {
  const context = { digestId, report, policy: run.policy, ...(run.reports ? { reports: run.reports } : {}) };
  const parts = splitDigest(
    context,
    claimed.map((c) => c.transition),
  );
  const sns = run.sns();
  const delivered: DigestPart[] = [];
  for (const part of parts) {
    try {
      await sns.send(publishCommand(run.topicArn, part));
    } catch (failure) {
      return deliveryOf(parts.length, delivered, failure);
    }
    delivered.push(part);
  }
  return deliveryOf(parts.length, delivered);
}

function publishCommand(topicArn: string, part: DigestPart): PublishCommand {
  return new PublishCommand({
    TopicArn: topicArn,
    Subject: part.subject,
    Message: part.message,
    MessageStructure: 'json',
    MessageAttributes: part.attributes,
  });
}

function deliveryOf(parts: number, delivered: readonly DigestPart[], failure?: unknown): Delivery {
  const sent = new Set(delivered.flatMap((p) => p.transitions.map((t) => t.finding.id)));
  return { parts, delivered, sent, ...(failure === undefined ? {} : { failure }) };
}

// ---- settle --------------------------------------------------------------------------------------------

async function settle(
  writes: Writes,
  digestId: string,
  claimed: readonly Claimed[],
  sent: ReadonlySet<string>,
  observedAt: string,
): Promise<void> {
  await Promise.all(
    claimed.map((c) =>
      writes.limit(() => settleOne(writes, digestId, c, sent.has(c.transition.finding.id), observedAt)),
    ),
  );
}

/** Confirms a delivered transition as notified, or releases an undelivered one for the next run. */
async function settleOne(
  writes: Writes,
  digestId: string,
  { transition, version }: Claimed,
  delivered: boolean,
  observedAt: string,
): Promise<void> {
  const findingId = transition.finding.id;
  try {
    if (!delivered) {
      await writes.store.release({ findingId, version, digestId });
      return;
    }
    const request = { kind: transition.kind, findingId, version, digestId, now: writes.now, observedAt };
    if (!(await writes.store.confirm(request)))
      writes.log.warn('alert state: a delivered transition was claimed again meanwhile', { findingId });
  } catch (error) {
    // The claim stays and expires: a delivered transition is then sent once more (at least once), an
    // undelivered one is sent by the next run. Never lost.
    writes.log.warn('alert state: could not record a transition; its claim will expire', {
      findingId,
      delivered,
      error: errorText(error),
    });
  }
}

// ---- outcome -------------------------------------------------------------------------------------------

/**
 * A refused message fails the run, naming how many parts were not sent; else transitions whose claim could not be
 * written fail it, after everything claimed was sent and confirmed, so that the retry sends exactly those.
 */
function outcomeOf(plan: AlertPlan, digestId: string, claims: Claims, delivery: Delivery): AlertResult {
  const delivered = { new: 0, resolved: 0, reminder: 0 };
  for (const { transition } of claims.claimed)
    if (delivery.sent.has(transition.finding.id)) delivered[transition.kind]++;
  const undelivered = claims.claimed.length - delivery.sent.size + claims.unclaimed.length;
  const outcome: AlertOutcome = {
    status: claims.claimed.length === 0 ? 'unchanged' : 'sent',
    messages: delivery.delivered.length,
    delivered,
    undelivered,
    lostToOtherRuns: claims.lostToOtherRuns,
    skipped: plan.skipped,
    digestId,
  };
  if (delivery.failure !== undefined) {
    const refused = `${delivery.parts - delivery.delivered.length} of ${delivery.parts} SNS message(s)`;
    const error =
      `${refused} not accepted after retries (${errorText(delivery.failure)}); ` +
      `${undelivered} transition(s) left for the next run`;
    return { outcome: { ...outcome, status: 'failed', error }, failure: delivery.failure };
  }
  if (claims.failure !== undefined) {
    const error =
      `${claims.unclaimed.length} transition(s) could not be claimed in the alert state ` +
      `(${errorText(claims.failure)}); left for the next run`;
    return { outcome: { ...outcome, status: 'failed', error }, failure: claims.failure };
  }
  return { outcome };
}
