import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application code here.
// A working day at the counter (issue 28):
// - the tracking book's covering index (SQLite) gains the plate, which the export now prints;
// - a handover's note moves to the step it was written on (the step the handover closed);
// - the head of the office who signs its decisions (title and name), and the deputy who signs
//   in the head's place ("KT. TRƯỞNG PHÒNG / PHÓ TRƯỞNG PHÒNG"), empty until the office sets them.
const BOOK_COLUMNS = `office_id, received_at, id, intake_outcome, code, procedure_code, procedure_name,
  applicant_name, personal_id, address, phone, due_at, rescheduled_due_at, result_at, returned_at,
  closed_at, status, outcome, returned_to, note, vehicle_kind, return_channel`;

/**
 * Until now a handover's note was stored on the step it opened; it belongs to the step it closed
 * (the processor's note on processing, the approver's "Đồng ý." on approval). A rework's reason
 * was stored on both, and overwrote the note the step had been opened with. The timeline's event
 * of the handover (same instant as the step's end) holds each note as written: it is the source;
 * the next step's copy is the fallback. Computed in code rather than in one self-referencing
 * UPDATE, whose reads of rows it already changed differ between the engines. Exported for its
 * test.
 */
export async function moveStepNotes(db: Kysely<any>): Promise<void> {
  const rows: {
    id: number;
    dossier_id: number;
    end_reason: string | null;
    finished_at: string | null;
    note: string;
  }[] = await db
    .selectFrom('dossier_steps')
    .select(['id', 'dossier_id', 'end_reason', 'finished_at', 'note'])
    .orderBy('dossier_id')
    .orderBy('position')
    .execute();
  const events: { dossier_id: number; at: string; note: string }[] = await db
    .selectFrom('dossier_events')
    .select(['dossier_id', 'at', 'note'])
    .where('action', 'in', ['hand_over', 'approve', 'return_for_rework'])
    .execute();
  const written = new Map(events.map((e) => [`${e.dossier_id}|${e.at}`, e.note]));
  const ENDS = ['handed_over', 'approved', 'rework'];
  for (let i = 0; i < rows.length; i++) {
    const step = rows[i]!;
    const next = rows[i + 1]?.dossier_id === step.dossier_id ? rows[i + 1] : undefined;
    const prev = rows[i - 1]?.dossier_id === step.dossier_id ? rows[i - 1] : undefined;
    let note = step.note;
    if (ENDS.includes(step.end_reason ?? '')) {
      const own =
        written.get(`${step.dossier_id}|${step.finished_at}`) ??
        (step.end_reason === 'rework'
          ? step.note
          : next?.end_reason === 'rework'
            ? ''
            : (next?.note ?? ''));
      // A first step's stored note was its own (written when it was opened without a step before).
      note = prev || !step.note || step.note === own ? own : `${step.note}; ${own}`;
    } else if (prev && ENDS.includes(prev.end_reason ?? '')) note = '';
    if (note !== step.note)
      await db.updateTable('dossier_steps').set({ note }).where('id', '=', step.id).execute();
  }
}

const SIGNER_COLUMNS = ['head_title', 'head_name', 'deputy_title', 'deputy_name'];

export async function up(db: Kysely<any>): Promise<void> {
  await moveStepNotes(db);
  for (const column of SIGNER_COLUMNS)
    await db.schema
      .alterTable('offices')
      .addColumn(column, 'text', (c) => c.notNull().defaultTo(''))
      .execute();
  if (!isPostgres(db)) {
    await sql`drop index dossiers_tracking_book`.execute(db);
    await sql
      .raw(`create index dossiers_tracking_book on dossiers (${BOOK_COLUMNS}, vehicle_id)`)
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of SIGNER_COLUMNS)
    await db.schema.alterTable('offices').dropColumn(column).execute();
  if (!isPostgres(db)) {
    await sql`drop index dossiers_tracking_book`.execute(db);
    await sql.raw(`create index dossiers_tracking_book on dossiers (${BOOK_COLUMNS})`).execute(db);
  }
}
