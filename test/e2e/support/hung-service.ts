// An AWS service hung behind its load balancer in every region, for the tests of the time budget: the sandbox
// takes each call to it and never answers (its `hangingEndpoints` fault, which names one region a rule), so every
// call waits until the budget or a request time-out ends it.
import { allRegions } from '../../sandbox/regions.ts';
import type { ServiceName, WorldFaults } from '../../sandbox/world.ts';

/** The sandbox fault that leaves every call to `service`, in any region of the aws partition, unanswered. */
export function hungEverywhere(service: ServiceName): Pick<WorldFaults, 'hangingEndpoints'> {
  return { hangingEndpoints: allRegions('aws').map((region) => ({ service, region })) };
}
