import type { AppContext } from '../src/context.js';
import { findCurrentAccountById } from '../src/accounts/accounts.repository.js';
import { receiveDossier } from '../src/dossiers/intake/intake.service.js';
import { performDossierAction } from '../src/dossiers/workflow/workflow.service.js';
import { performHandover } from '../src/dossiers/handover/handover.service.js';
import { rateDossier } from '../src/lookup/lookup.service.js';
import { FixedClock } from '../src/lib/clock.js';
import { addDays, dayOfWeek, instantAtLocal } from '../src/lib/vietnam-time.js';

/**
 * Optional demo dossiers for the last two weeks (screenshots, demos, trying the reports), and the
 * history of the closed Lý Nhân district police (January–February 2025, some still open when it
 * closed, for the move to its successor): made through the real services with a moving clock, so
 * every date, code and event is what the app itself would have produced. Deterministic (a fixed
 * pseudo-random sequence).
 */
const NAMES = [
  'Nguyễn Văn An',
  'Trần Thị Bình',
  'Lê Văn Cường',
  'Phạm Thị Dung',
  'Hoàng Văn Em',
  'Vũ Thị Phương',
  'Đặng Văn Giang',
  'Bùi Thị Hạnh',
  'Đỗ Văn Khánh',
  'Ngô Thị Lan',
];
const LY_NHAN = '000.00.10.H35';
const PROCEDURES = [
  '2.000200',
  '2.001195',
  '1.004194',
  '1.004222',
  '1.002755',
  '2.001159',
  'LOCAL-DDDT-02',
  'LOCAL-DKX-MT',
];

type Officer = NonNullable<Awaited<ReturnType<typeof findCurrentAccountById>>>;

export async function seedDemoDossiers(
  ctx: AppContext,
  officerId: number,
  today: string,
): Promise<number> {
  const officer = (await findCurrentAccountById(ctx.db, officerId))!;
  const clock = new FixedClock(new Date());
  const demo: AppContext = { ...ctx, clock };
  // mulberry32: small, fast, well-distributed; fixed seed so every demo looks the same.
  let seed = 20261128;
  const random = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4294967296) * n);
  };

  /** One dossier received on `day`, taken as far through its life as `until` allows. */
  // The processing team of the demo office, when the demo accounts exist: their dossiers go
  // through every step (claim, hand over to the leader, approval) before the result.
  const byName = async (username: string) => {
    const row = await ctx.db
      .selectFrom('accounts')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirst();
    return row ? findCurrentAccountById(ctx.db, row.id) : undefined;
  };
  const [processor, approver] = [await byName('xuly'), await byName('pheduyet')];
  const team =
    processor && approver && processor.officeId === officer.officeId
      ? { processor, approver }
      : null;

  async function fileOne(at: Officer, day: string, until: Date, address: string): Promise<void> {
    clock.set(
      instantAtLocal(
        day,
        `${String(8 + random(8)).padStart(2, '0')}:${String(random(60)).padStart(2, '0')}`,
      ),
    );
    if (clock.now() > until) return;
    const procedure = PROCEDURES[random(PROCEDURES.length)]!;
    const docs = await ctx.db
      .selectFrom('procedure_documents')
      .innerJoin('procedures', 'procedures.id', 'procedure_documents.procedure_id')
      .select('procedure_documents.id')
      .where('procedures.code', '=', procedure)
      .execute();
    const name = NAMES[random(NAMES.length)]!;
    const male = !/Thị/.test(name);
    const year = 1960 + random(45);
    const personalId = `035${(Math.floor(year / 100) - 19) * 2 + (male ? 0 : 1)}${String(year % 100).padStart(2, '0')}${String(100000 + random(899999))}`;
    const result = await receiveDossier(demo, at, {
      procedure_code: procedure,
      outcome: 'accept',
      documents: docs.map((d) => String(d.id)),
      applicant_name: name,
      personal_id: personalId,
      birth_date: `${year}-0${1 + random(9)}-1${random(9)}`,
      sex: male ? 'male' : 'female',
      phone: `091${String(1000000 + random(8999999))}`,
      // The demo's vehicle procedure is a first registration: no plate yet, the frame and engine
      // numbers, brand and colour instead.
      address,
      vehicle_kind: 'motorbike',
      vehicle_frame_no: `RLHJF${String(100000000000 + random(899999999999))}`,
      vehicle_engine_no: `JF${String(1000000 + random(8999999))}`,
      vehicle_brand: 'Honda Vision',
      vehicle_colour: 'Đỏ đen',
    });
    created += 1;
    const code = result.code!;
    const step = async (
      action: string,
      hoursLater: number,
      fields: Record<string, string> = {},
    ) => {
      const next = new Date(clock.now().getTime() + hoursLater * 3600_000);
      if (next > until) return false;
      clock.set(next);
      const { version } = await ctx.db
        .selectFrom('dossiers')
        .select('version')
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      await performDossierAction(demo, at, code, action as never, {
        version: String(version),
        ...fields,
      });
      return true;
    };
    const handOn = async (
      who: Officer,
      action: 'claim' | 'hand_over' | 'approve',
      hoursLater: number,
    ) => {
      const next = new Date(clock.now().getTime() + hoursLater * 3600_000);
      if (next > until) return false;
      clock.set(next);
      const { version } = await ctx.db
        .selectFrom('dossiers')
        .select('version')
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      await performHandover(demo, who, code, action, {
        version: String(version),
        ...(action === 'hand_over'
          ? { to_step: 'approval', to_account: String(team!.approver.id) }
          : {}),
      });
      return true;
    };
    const fate = random(10);
    if (!(await step('start_processing', 1))) return;
    const processed = async () => {
      if (!team || at.officeId !== team.processor.officeId || procedure === 'LOCAL-DKX-MT')
        return true;
      const days = 1 + random(7);
      return (
        (await handOn(team.processor, 'claim', 1 + random(3))) &&
        (await handOn(team.processor, 'hand_over', 24 * days)) &&
        (await handOn(team.approver, 'approve', 2 + random(20)))
      );
    };
    if (fate === 0)
      await step('request_supplement', 20, {
        supplement_what: 'Bản sao giấy khai sinh',
        reason: 'Thông tin ngày sinh chưa khớp với CSDL dân cư.',
      });
    else if (
      fate < 8 &&
      (await processed()) &&
      (await step(
        'mark_result_ready',
        team && at.officeId === team.processor.officeId ? 2 + random(4) : 24 * (1 + random(9)),
      ))
    ) {
      if (
        fate < 6 &&
        (await step('return_result', 24 * random(3) + 2, { returned_to: name })) &&
        fate < 4
      ) {
        await rateDossier(
          demo,
          code,
          result.lookupKey!,
          ['very_satisfied', 'satisfied', 'very_satisfied', 'unsatisfied'][random(4)],
          '',
        );
      }
    }
  }

  let created = 0;
  // The closed district office's last two months, seen through the same officer account.
  const lyNhan = await ctx.db
    .selectFrom('offices')
    .select(['id', 'code', 'name', 'valid_to'])
    .where('code', '=', LY_NHAN)
    .executeTakeFirst();
  if (lyNhan?.valid_to) {
    const atDistrict: Officer = {
      ...officer,
      officeId: lyNhan.id,
      officeCode: lyNhan.code,
      officeName: lyNhan.name,
    };
    const closedAt = instantAtLocal(lyNhan.valid_to, '17:00');
    for (let day = addDays(lyNhan.valid_to, -45); day <= lyNhan.valid_to; day = addDays(day, 1)) {
      if (dayOfWeek(day) === 0 || dayOfWeek(day) === 6) continue;
      for (let i = 0, n = 1 + random(3); i < n; i++)
        await fileOne(
          atDistrict,
          day,
          closedAt,
          `Thôn ${1 + random(9)}, xã Hòa Hậu, huyện Lý Nhân, tỉnh Hà Nam`,
        );
    }
  }
  for (let offset = -14; offset <= 0; offset++) {
    const day = addDays(today, offset);
    if (dayOfWeek(day) === 0) continue;
    const count = dayOfWeek(day) === 6 ? 2 : 4 + random(4);
    for (let i = 0; i < count; i++)
      await fileOne(officer, day, new Date(), `Thôn ${1 + random(9)}, xã Hòa Hậu, tỉnh Ninh Bình`);
  }
  return created;
}
