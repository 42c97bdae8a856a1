import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../db/database.js';
import { precompiled } from '../../db/precompiled.js';
import type { Database, DossierRow } from '../../db/schema.js';

/** The counter's reads over many dossiers: search, the board's lists, the last known applicant. */

/** The applicant's details from the newest dossier with that ID number in the given offices. */
export async function findLatestApplicant(db: Db, officeIds: number[], personalId: string) {
  return db
    .selectFrom('dossiers')
    .select([
      'applicant_name',
      'personal_id',
      'birth_date',
      'sex',
      'phone',
      'address',
      'received_at',
    ])
    .where('personal_id', '=', personalId)
    .where('office_id', 'in', officeIds)
    .orderBy('received_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export type DossierSearch =
  | { kind: 'code'; value: string }
  | { kind: 'personal_id'; value: string }
  | { kind: 'phone'; value: string }
  | { kind: 'name'; value: string }
  /** A canonical plate or a frame number. */
  | { kind: 'vehicle'; value: string }
  | { kind: 'all' };

const LIST_COLUMNS = [
  'dossiers.id',
  'dossiers.code',
  'dossiers.office_id',
  'dossiers.procedure_code',
  'dossiers.procedure_name',
  'dossiers.status',
  'dossiers.intake_outcome',
  'dossiers.applicant_name',
  'dossiers.received_at',
  'dossiers.due_on',
  'dossiers.due_at',
  'dossiers.rescheduled_due_on',
  'dossiers.rescheduled_due_at',
  'dossiers.outcome',
  'dossiers.result_at',
  'dossiers.returned_at',
] as const;

export type DossierListRow = Pick<
  DossierRow,
  | 'id'
  | 'code'
  | 'office_id'
  | 'procedure_code'
  | 'procedure_name'
  | 'status'
  | 'intake_outcome'
  | 'applicant_name'
  | 'received_at'
  | 'due_on'
  | 'due_at'
  | 'rescheduled_due_on'
  | 'rescheduled_due_at'
  | 'outcome'
  | 'result_at'
  | 'returned_at'
>;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function searchDossiers(
  db: Db,
  officeIds: number[],
  search: DossierSearch,
  page: { limit: number; offset: number },
): Promise<DossierListRow[]> {
  let query = db.selectFrom('dossiers').select(LIST_COLUMNS).where('office_id', 'in', officeIds);
  switch (search.kind) {
    case 'code':
      query = query.where(sql<boolean>`code like ${`%${escapeLike(search.value)}%`} escape '\\'`);
      break;
    case 'personal_id':
      query = query.where('personal_id', '=', search.value);
      break;
    case 'phone':
      query = query.where('phone', '=', search.value);
      break;
    case 'name':
      query = query.where(
        sql<boolean>`applicant_name_folded like ${`%${escapeLike(search.value)}%`} escape '\\'`,
      );
      break;
    case 'vehicle': {
      const value = search.value;
      query = query.where((eb) =>
        eb.or([eb('vehicle_id', '=', value), eb('vehicle_frame_no', '=', value)]),
      );
      break;
    }
    case 'all':
      break;
  }
  return query
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export const BOARD_LIST_LIMIT = 50;

type BoardValue = 'officeId' | 'today' | 'nowIso';
type BoardFilter = (
  q: SelectQueryBuilder<Database, 'dossiers', object>,
  v: Record<BoardValue, never>,
) => SelectQueryBuilder<Database, 'dossiers', object>;

const effectiveDueOn = sql<string>`coalesce(rescheduled_due_on, due_on)`;
const effectiveDueAt = sql<string>`coalesce(rescheduled_due_at, due_at)`;
// Open dossiers have no result and no closing time: stated beside the status so the filter runs
// on the small covering index of open dossiers (dossiers_open_for_reports) rather than on the
// office's whole history.
const open: BoardFilter = (q) =>
  q
    .where('closed_at', 'is', null)
    .where('result_at', 'is', null)
    .where('status', 'in', ['received', 'processing']);

/**
 * The board's lists: each one's filter (of one office's dossiers) and order, with the values it
 * takes. Built and compiled once per engine (precompiled): the board is the counter's most
 * requested page, and building its ten queries was a share of its time (docs/BENCHMARKS.md).
 */
const BOARD_LISTS = {
  receivedToday: {
    values: ['officeId', 'today'],
    filter: (q, v) => q.where('received_on', '=', v.today).where('intake_outcome', '=', 'accepted'),
    order: sql`received_at desc`,
  },
  dueToday: {
    values: ['officeId', 'today'],
    filter: (q, v) => open(q, v).where(effectiveDueOn, '=', v.today),
    order: sql`due_at`,
  },
  overdue: {
    values: ['officeId', 'nowIso'],
    filter: (q, v) => open(q, v).where(effectiveDueAt, '<', v.nowIso),
    order: sql`due_at`,
  },
  awaitingPickup: {
    values: ['officeId'],
    filter: (q) => q.where('status', '=', 'result_ready'),
    order: sql`result_at`,
  },
  awaitingSupplement: {
    values: ['officeId'],
    filter: (q) => q.where('status', '=', 'supplement_requested'),
    order: sql`supplement_requested_at`,
  },
} satisfies Record<
  string,
  { values: BoardValue[]; filter: BoardFilter; order: RawBuilder<unknown> }
>;

type BoardListName = keyof typeof BOARD_LISTS;

const boardQueries = Object.fromEntries(
  Object.entries(BOARD_LISTS).map(([name, list]) => {
    const of = (db: Db, v: Record<BoardValue, never>) =>
      list.filter(db.selectFrom('dossiers').where('office_id', '=', v.officeId), v);
    return [
      name,
      {
        rows: precompiled(list.values, (db, v) =>
          of(db, v as Record<BoardValue, never>)
            .select(LIST_COLUMNS)
            .orderBy(list.order)
            .limit(BOARD_LIST_LIMIT),
        ),
        count: precompiled(list.values, (db, v) =>
          of(db, v as Record<BoardValue, never>).select((eb) => eb.fn.countAll<number>().as('n')),
        ),
      },
    ];
  }),
) as Record<
  BoardListName,
  {
    rows: (db: Db, values: Record<BoardValue, unknown>) => Promise<DossierListRow[]>;
    count: (db: Db, values: Record<BoardValue, unknown>) => Promise<{ n: number }[]>;
  }
>;

/**
 * The counter's day at a glance, for one office: each list's size, and its first rows (the most
 * urgent first). `now` and `today` come from the clock.
 * The lists: received today, due today, overdue (open, its deadline passed at `nowIso`),
 * awaiting pickup and awaiting the citizen's supplement; each the most urgent BOARD_LIST_LIMIT
 * rows and the list's total.
 */
export async function findBoardLists(db: Db, officeId: number, today: string, nowIso: string) {
  const values = { officeId, today, nowIso };
  const result = {} as Record<BoardListName, { rows: DossierListRow[]; total: number }>;
  for (const name of Object.keys(BOARD_LISTS) as BoardListName[]) {
    const query = boardQueries[name];
    const rows = await query.rows(db, values);
    const total =
      rows.length < BOARD_LIST_LIMIT ? rows.length : Number((await query.count(db, values))[0]!.n);
    result[name] = { rows, total };
  }
  return result;
}
