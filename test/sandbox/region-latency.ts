// The sandbox's model of network distance: a call signed for a region far from where the auditor runs takes
// longer, by about the round trip between the two. Regions are grouped into areas, and the round trip between
// areas is a typical figure between AWS regions in them (public inter-region latency tables); an assumption
// stated in one place, documented in docs/performance.md.

type Area =
  | 'us-east'
  | 'us-west'
  | 'canada'
  | 'south-america'
  | 'europe'
  | 'middle-east'
  | 'africa'
  | 'india'
  | 'east-asia'
  | 'southeast-asia'
  | 'oceania';

const AREAS: readonly [prefix: RegExp, area: Area][] = [
  [/^(us-east|us-gov-east|mx-)/, 'us-east'],
  [/^(us-west|us-gov-west)/, 'us-west'],
  [/^ca-/, 'canada'],
  [/^sa-/, 'south-america'],
  [/^eu-/, 'europe'],
  [/^(me-|il-)/, 'middle-east'],
  [/^af-/, 'africa'],
  [/^ap-south-/, 'india'],
  [/^(ap-northeast|ap-east|cn-)/, 'east-asia'],
  [/^ap-southeast-(2|4|6)$/, 'oceania'],
  [/^ap-southeast-/, 'southeast-asia'],
];

// Milliseconds of round trip between areas (symmetric; same area 2 ms apart from the same region).
const RTT: Partial<Record<`${Area}|${Area}`, number>> = {
  'us-east|us-west': 65,
  'us-east|canada': 15,
  'us-east|south-america': 115,
  'us-east|europe': 80,
  'us-east|middle-east': 160,
  'us-east|africa': 225,
  'us-east|india': 190,
  'us-east|east-asia': 150,
  'us-east|southeast-asia': 215,
  'us-east|oceania': 200,
  'us-west|canada': 65,
  'us-west|south-america': 175,
  'us-west|europe': 140,
  'us-west|middle-east': 220,
  'us-west|africa': 280,
  'us-west|india': 220,
  'us-west|east-asia': 105,
  'us-west|southeast-asia': 165,
  'us-west|oceania': 140,
  'canada|south-america': 125,
  'canada|europe': 85,
  'canada|middle-east': 170,
  'canada|africa': 230,
  'canada|india': 195,
  'canada|east-asia': 160,
  'canada|southeast-asia': 220,
  'canada|oceania': 210,
  'south-america|europe': 190,
  'south-america|middle-east': 270,
  'south-america|africa': 340,
  'south-america|india': 300,
  'south-america|east-asia': 260,
  'south-america|southeast-asia': 320,
  'south-america|oceania': 310,
  'europe|middle-east': 80,
  'europe|africa': 150,
  'europe|india': 120,
  'europe|east-asia': 220,
  'europe|southeast-asia': 160,
  'europe|oceania': 260,
  'middle-east|africa': 190,
  'middle-east|india': 40,
  'middle-east|east-asia': 130,
  'middle-east|southeast-asia': 80,
  'middle-east|oceania': 170,
  'africa|india': 260,
  'africa|east-asia': 330,
  'africa|southeast-asia': 270,
  'africa|oceania': 380,
  'india|east-asia': 125,
  'india|southeast-asia': 60,
  'india|oceania': 150,
  'east-asia|southeast-asia': 70,
  'east-asia|oceania': 115,
  'southeast-asia|oceania': 95,
};

function areaOf(region: string): Area {
  for (const [prefix, area] of AREAS) if (prefix.test(region)) return area;
  return 'us-east';
}

/** The round trip in milliseconds between the region the auditor runs in and the region a call is signed for. */
export function regionRttMs(from: string, to: string): number {
  if (from === to) return 0;
  const a = areaOf(from);
  const b = areaOf(to);
  if (a === b) return 2;
  const rtt = RTT[`${a}|${b}`] ?? RTT[`${b}|${a}`];
  if (rtt === undefined) throw new Error(`sandbox: no round trip between ${a} and ${b}`);
  return rtt;
}
