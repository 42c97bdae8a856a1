import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Vehicles as the counter records them, and the căn cước papers by their right form codes.
// Vehicles: which procedures are first registrations (the vehicle
// has no plate yet, so its frame and engine numbers, brand and colour identify it), those four
// details on the dossier, and plates stored in one canonical form (upper case, no spaces, dots or
// dashes, Đ as D) so that a plate is found however it is typed.
// The căn cước checklists named the forms of TT 17/2024/TT-BCA wrongly: the citizen files no
// "Tờ khai căn cước (DC02)"; the office makes the capture record CC01 from the population
// database, and DC02 is the population-data correction form, needed only where that data is
// missing or wrong. Papers already received on dossiers keep the names they were received under.
const RENAMED_PAPERS: [string, string][] = [
  ['Tờ khai căn cước (mẫu DC02)', 'Phiếu thu nhận thông tin căn cước (mẫu CC01)'],
  [
    'Phiếu thu nhận thông tin dân cư (mẫu DC01) và giấy tờ hợp pháp, nếu thông tin chưa có trong CSDL quốc gia về dân cư',
    'Phiếu cập nhật thông tin dân cư (mẫu DC02) và giấy tờ chứng minh, nếu CSDL dân cư chưa có hoặc sai',
  ],
  [
    'Tờ khai căn cước (mẫu DC02) đề nghị xác nhận',
    'Văn bản đề nghị xác nhận số Chứng minh nhân dân 9 số, số định danh cá nhân',
  ],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [from, to] of RENAMED_PAPERS)
    await db
      .updateTable('procedure_documents')
      .set({ name: to })
      .where('name', '=', from)
      .execute();
  await db.schema
    .alterTable('procedures')
    .addColumn('first_registration', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db
    .updateTable('procedures')
    .set({ first_registration: 1 })
    .where('code', 'in', ['LOCAL-DKX-MT', 'LOCAL-DKX-OTO', 'LOCAL-DKX-XMD', 'LOCAL-DKX-TAM'])
    .execute();
  for (const column of [
    'vehicle_frame_no',
    'vehicle_engine_no',
    'vehicle_brand',
    'vehicle_colour',
  ]) {
    await db.schema.alterTable('dossiers').addColumn(column, 'text').execute();
  }
  await sql`update dossiers set vehicle_id = replace(replace(replace(replace(vehicle_id, '-', ''), '.', ''), ' ', ''), 'Đ', 'D') where vehicle_id is not null`.execute(
    db,
  );
  await db.schema
    .createIndex('dossiers_vehicle_id')
    .on('dossiers')
    .column('vehicle_id')
    .where(sql.ref('vehicle_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('dossiers_vehicle_frame_no')
    .on('dossiers')
    .column('vehicle_frame_no')
    .where(sql.ref('vehicle_frame_no'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [from, to] of RENAMED_PAPERS)
    await db
      .updateTable('procedure_documents')
      .set({ name: from })
      .where('name', '=', to)
      .execute();
  await db.schema.dropIndex('dossiers_vehicle_frame_no').execute();
  await db.schema.dropIndex('dossiers_vehicle_id').execute();
  for (const column of [
    'vehicle_colour',
    'vehicle_brand',
    'vehicle_engine_no',
    'vehicle_frame_no',
  ]) {
    await db.schema.alterTable('dossiers').dropColumn(column).execute();
  }
  await db.schema.alterTable('procedures').dropColumn('first_registration').execute();
}
