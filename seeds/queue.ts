import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../src/db/schema.js';

/**
 * Demo service groups and counters of each office (the district's hall has five counters, a
 * commune's two). Seeded only for an office that has none, so an administrator's setup stays.
 */
interface GroupSeed {
  code: string;
  letter: string;
  name: string;
  kind: 'intake' | 'result';
  reportGroups: string[];
  slotCapacity: number;
}

export const SERVICE_GROUPS: GroupSeed[] = [
  {
    code: 'CC',
    letter: 'C',
    name: 'Căn cước, định danh điện tử',
    kind: 'intake',
    reportGroups: ['can_cuoc', 'dinh_danh'],
    slotCapacity: 4,
  },
  {
    code: 'CT',
    letter: 'T',
    name: 'Cư trú (thường trú, tạm trú)',
    kind: 'intake',
    reportGroups: ['cu_tru', 'tam_tru'],
    slotCapacity: 3,
  },
  {
    code: 'XE',
    letter: 'X',
    name: 'Đăng ký xe',
    kind: 'intake',
    reportGroups: ['dang_ky_xe', 'o_to', 'mo_to', 'xe_may_dien'],
    slotCapacity: 2,
  },
  {
    code: 'AN',
    letter: 'A',
    name: 'An ninh trật tự, ngành nghề có điều kiện',
    kind: 'intake',
    reportGroups: ['antt', 'phuong_an'],
    slotCapacity: 2,
  },
  {
    code: 'KQ',
    letter: 'K',
    name: 'Nhận kết quả',
    kind: 'result',
    reportGroups: [],
    slotCapacity: 0,
  },
];

const DISTRICT_COUNTERS: [number, string[]][] = [
  [1, ['CC']],
  [2, ['CC', 'CT']],
  [3, ['XE']],
  [4, ['AN', 'CT', 'KQ']],
  [5, ['KQ', 'CC']],
];
const COMMUNE_COUNTERS: [number, string[]][] = [
  [1, ['CC', 'CT', 'KQ']],
  [2, ['CT', 'XE', 'AN', 'KQ']],
];

export async function seedQueue(
  tx: Transaction<Database> | Kysely<Database>,
  now: string,
): Promise<void> {
  const offices = await tx
    .selectFrom('offices')
    .select(['id', 'parent_id'])
    .where('valid_to', 'is', null)
    .execute();
  const procedures = await tx.selectFrom('procedures').select(['id', 'report_group']).execute();
  for (const office of offices) {
    const existing = await tx
      .selectFrom('service_groups')
      .select('id')
      .where('office_id', '=', office.id)
      .executeTakeFirst();
    if (existing) continue;
    const ids = new Map<string, number>();
    for (const [position, g] of SERVICE_GROUPS.entries()) {
      const { id } = await tx
        .insertInto('service_groups')
        .values({
          office_id: office.id,
          code: g.code,
          letter: g.letter,
          name: g.name,
          kind: g.kind,
          slot_minutes: 30,
          slot_capacity: g.slotCapacity,
          sort_order: position,
          active: 1,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.set(g.code, id);
      const mine = procedures.filter((p) => g.reportGroups.includes(p.report_group));
      if (mine.length)
        await tx
          .insertInto('service_group_procedures')
          .values(mine.map((p) => ({ group_id: id, procedure_id: p.id })))
          .execute();
    }
    const layout = offices.some((o) => o.parent_id === office.id)
      ? DISTRICT_COUNTERS
      : COMMUNE_COUNTERS;
    for (const [number, groups] of layout) {
      const { id } = await tx
        .insertInto('counters')
        .values({
          office_id: office.id,
          number,
          name: `Quầy ${number}`,
          active: 1,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('counter_groups')
        .values(groups.map((code) => ({ counter_id: id, group_id: ids.get(code)! })))
        .execute();
    }
  }
}
