/**
 * The short scenarios of bench/profile.ts and bench/ab.ts, by name, against one server: the
 * bench's own loads, for looking at one of them at a time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type autocannon from 'autocannon';
import { addDays, localDateOf } from '../src/lib/vietnam-time.js';
import type { BenchData } from './fixtures.js';
import { BENCH_LOOKUP_KEY } from './generate.js';
import { freePort, harness } from './harness.js';
import { ticketIssuing, type QueueOffice } from './queue.js';

export const SCENARIOS = [
  'baseline',
  'lookup',
  'page',
  'ticket',
  'intake',
  'board',
  'report',
  'last-month',
  'scorecard',
  'csv',
  'xlsx',
] as const;
export type Scenario = (typeof SCENARIOS)[number];
/** The scenarios that time single requests (an export) rather than a load. */
export const SINGLE = new Set<Scenario>(['csv', 'xlsx']);

/** The intake's request body: an accepted residence dossier with the procedure's papers. */
export function intakeBodyOf(data: BenchData): string {
  return JSON.stringify({
    procedure_code: '2.000200',
    outcome: 'accept',
    documents: data.procedureDocs,
    applicant_name: 'Nguyễn Văn An',
    personal_id: '035090001234',
    birth_date: '1990-05-01',
    sex: 'male',
    phone: '0912345678',
    address: 'Thôn 3, xã Hòa Hậu, Lý Nhân, Hà Nam',
  });
}

/** Intakes through the API, the connections taking turns with the offices' tokens. */
export function intakeLoad(
  base: string,
  tokens: string[],
  body: string,
  connections: number,
): autocannon.Options {
  let next = 0;
  return {
    url: `${base}/api/v1/dossiers`,
    connections,
    requests: [
      {
        setupRequest: (r) => ({
          ...r,
          method: 'POST',
          path: '/api/v1/dossiers',
          body,
          headers: {
            authorization: `Bearer ${tokens[next++ % tokens.length]}`,
            'content-type': 'application/json',
          },
        }),
      },
    ],
  };
}

/** Starts a bench server script (`dist/bench/server.js` of some build) with `nodeArgs`. */
export async function startServer(
  script: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  cwd?: string,
): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) =>
    createInterface({ input: child.stdout! }).on('line', (l) => l.startsWith('ready') && resolve()),
  );
  return { child, base: `http://127.0.0.1:${port}` };
}

/** The autocannon options of each scenario against the server at `base`. */
export async function scenarioOptions(
  base: string,
  data: BenchData,
  env: Record<string, string>,
  queueOffice: QueueOffice | null,
  connections?: number,
  /** API tokens of offices made for the intake scenario (fixtures.ts), before the server started. */
  intakeTokens: string[] | null = null,
): Promise<Record<Scenario, () => autocannon.Options>> {
  const h = harness(env, 3);
  const officer = await h.login(base, 'canbo');
  const supervisor = await h.login(base, 'lanhdao');
  const pick = () => data.codes[Math.floor(Math.random() * data.codes.length)]!;
  const today = localDateOf(new Date());
  const lastMonthEnd = addDays(`${today.slice(0, 7)}-01`, -1);
  const get = (url: string, conns: number, cookie = ''): autocannon.Options => ({
    url: `${base}${url}`,
    connections: connections ?? conns,
    headers: cookie ? { cookie } : {},
  });
  const paths = (make: () => string): autocannon.Options => ({
    ...get('/', 32),
    requests: [{ setupRequest: (r) => ({ ...r, path: make() }) }],
  });
  const range = `period=custom&from=${addDays(today, -364)}&to=${today}&office=${data.districtId}`;
  return {
    baseline: () => get('/hello', 32),
    lookup: () =>
      paths(() => `/api/v1/lookup?code=${encodeURIComponent(pick())}&key=${BENCH_LOOKUP_KEY}`),
    page: () => paths(() => `/tra-cuu?ma=${encodeURIComponent(pick())}&khoa=${BENCH_LOOKUP_KEY}`),
    ticket: () => {
      if (!queueOffice) throw new Error('the ticket scenario needs a queue office');
      return ticketIssuing(base, queueOffice, connections ?? 32);
    },
    intake: () => {
      if (!intakeTokens) throw new Error('the intake scenario needs API tokens');
      return intakeLoad(base, intakeTokens, intakeBodyOf(data), connections ?? 32);
    },
    board: () => get('/ho-so/hom-nay', 1, officer),
    report: () => get('/bao-cao?period=month', 1, supervisor),
    'last-month': () =>
      get(
        `/bao-cao?period=custom&from=${lastMonthEnd.slice(0, 7)}-01&to=${lastMonthEnd}`,
        1,
        supervisor,
      ),
    scorecard: () => get(`/bao-cao/chi-so?kind=year&year=${today.slice(0, 4)}`, 1, supervisor),
    csv: () => get(`/bao-cao/xuat/so-theo-doi.csv?${range}`, 1, supervisor),
    xlsx: () => get(`/bao-cao/xuat/so-theo-doi.xlsx?${range}`, 1, supervisor),
  };
}
