import { z } from 'zod';
import type { AppContext } from '../context.js';
import { insertAuditEvent } from '../audit/audit.repository.js';
import { issueApiToken } from '../accounts/accounts.service.js';
import { hashPassword } from '../accounts/password.js';
import type { CurrentAccount } from '../http/auth.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import { isIsoDate } from '../lib/vietnam-time.js';
import { zodFieldErrors } from '../dossiers/dossiers.schemas.js';
import * as repo from './admin.repository.js';

/**
 * Administration of the master data: accounts, offices, the procedure catalog and the calendar.
 * Every change is validated (Vietnamese field messages, 422) and recorded as an audit event in
 * the same transaction. Dossiers keep their own snapshot of procedure and due dates, so nothing
 * here moves a date already promised.
 */

const text = (min: number, max: number, message: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.normalize('NFC').trim() : v), z.string({ message }).min(min, message).max(max, `Tối đa ${max} ký tự.`));
const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? v.normalize('NFC').trim() : v ?? ''), z.string({ message: 'Giá trị không hợp lệ.' }).max(max, `Tối đa ${max} ký tự.`));
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === '1' || v === true, z.boolean());
const intIn = (min: number, max: number, message: string) =>
  z.preprocess((v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : typeof v === 'number' ? v : NaN), z.number({ message }).int(message).min(min, message).max(max, message));
const localDate = (message: string) => z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string({ message }).refine(isIsoDate, message));
const blankToNull = (v: unknown) => (v === '' || v === undefined || v === null ? null : v);
const optionalInt = (min: number, max: number, message: string) =>
  z.preprocess((v) => {
    const value = blankToNull(v);
    if (value === null) return null;
    return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : typeof value === 'number' ? value : NaN;
  }, z.number({ message }).int(message).min(min, message).max(max, message).nullable());
const optionalDate = (message: string) =>
  z.preprocess((v) => (typeof blankToNull(v) === 'string' ? (v as string).trim() : blankToNull(v)), z.string({ message }).refine(isIsoDate, message).nullable());
// eslint-disable-next-line no-control-regex
const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const result = schema.safeParse(raw ?? {});
  if (!result.success) throw new ValidationError(zodFieldErrors(result.error));
  for (const [key, value] of Object.entries(result.data as Record<string, unknown>)) {
    if (typeof value === 'string' && !noControl(value)) throw new ValidationError({ [key]: 'Không được chứa ký tự điều khiển.' });
  }
  return result.data;
}

/** A change to offices, the catalog or the calendar: one transaction, then the cache is cleared. */
async function changeMasterData<T>(ctx: AppContext, fn: (tx: AppContext['db']) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction().execute(fn);
  } finally {
    ctx.masterData.invalidate();
  }
}

const actorOf = (a: CurrentAccount) => ({ id: a.id, username: a.username });
const ROLES = ['officer', 'supervisor', 'admin'] as const;
const roleField = z.enum(ROLES, { message: 'Chọn vai trò.' });
const passwordField = z.string({ message: 'Nhập mật khẩu.' }).min(10, 'Mật khẩu ít nhất 10 ký tự.').max(200, 'Tối đa 200 ký tự.');

async function requireOffice(ctx: AppContext, id: number): Promise<void> {
  if (!(await repo.findOffice(ctx.db, id))) throw new ValidationError({ office_id: 'Chọn đơn vị.' });
}

// ---- Accounts ---------------------------------------------------------------------------

const accountCreateSchema = z.object({
  username: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.string({ message: 'Nhập tên đăng nhập.' }).regex(/^[a-z0-9._-]{3,40}$/, 'Tên đăng nhập 3–40 ký tự: chữ thường không dấu, số, dấu chấm, gạch.')),
  full_name: text(2, 100, 'Nhập họ và tên (2–100 ký tự).'),
  role: roleField,
  office_id: intIn(1, 1e9, 'Chọn đơn vị.'),
  password: passwordField,
});

export async function createAccount(ctx: AppContext, admin: CurrentAccount, raw: unknown): Promise<number> {
  const input = parse(accountCreateSchema, raw);
  await requireOffice(ctx, input.office_id);
  if (await ctx.db.selectFrom('accounts').select('id').where('username', '=', input.username).executeTakeFirst()) {
    throw new ValidationError({ username: 'Tên đăng nhập đã có người dùng.' });
  }
  const now = ctx.clock.now().toISOString();
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction().execute(async (tx) => {
    const id = await repo.insertAccount(tx, {
      username: input.username, full_name: input.full_name, role: input.role, office_id: input.office_id, password_hash: passwordHash,
      failed_logins: 0, locked_until: null, active: 1, created_at: now, updated_at: now,
    });
    await insertAuditEvent(tx, { at: ctx.clock.now(), actor: actorOf(admin), action: 'account.created', subject: input.username, details: { role: input.role, officeId: input.office_id } });
    return id;
  });
}

const accountUpdateSchema = z.object({
  full_name: text(2, 100, 'Nhập họ và tên (2–100 ký tự).'),
  role: roleField,
  office_id: intIn(1, 1e9, 'Chọn đơn vị.'),
  active: checkbox,
});

export async function updateAccount(ctx: AppContext, admin: CurrentAccount, id: number, raw: unknown): Promise<void> {
  const account = await repo.findAccount(ctx.db, id);
  if (!account) throw new NotFoundError();
  const input = parse(accountUpdateSchema, raw);
  await requireOffice(ctx, input.office_id);
  if (id === admin.id && (!input.active || input.role !== 'admin')) {
    throw new ValidationError({ role: 'Không thể tự bỏ quyền quản trị hoặc tự khóa tài khoản đang dùng.' });
  }
  await ctx.db.transaction().execute(async (tx) => {
    await repo.updateAccount(tx, id, { full_name: input.full_name, role: input.role, office_id: input.office_id, active: input.active ? 1 : 0, updated_at: ctx.clock.now().toISOString() });
    // A deactivated account or a changed role takes effect now, not at the next login.
    if (!input.active || input.role !== account.role || input.office_id !== account.office_id) await repo.deleteSessionsOf(tx, id);
    await insertAuditEvent(tx, {
      at: ctx.clock.now(), actor: actorOf(admin), action: 'account.updated', subject: account.username,
      details: { role: input.role, officeId: input.office_id, active: input.active },
    });
  });
}

const passwordResetSchema = z.object({ password: passwordField, password_confirm: z.string({ message: 'Nhập lại mật khẩu.' }) })
  .refine((v) => v.password === v.password_confirm, { message: 'Hai lần nhập mật khẩu không khớp.', path: ['password_confirm'] });

export async function resetPassword(ctx: AppContext, admin: CurrentAccount, id: number, raw: unknown): Promise<void> {
  const account = await repo.findAccount(ctx.db, id);
  if (!account) throw new NotFoundError();
  const input = parse(passwordResetSchema, raw);
  const hash = await hashPassword(input.password);
  await ctx.db.transaction().execute(async (tx) => {
    await repo.updateAccount(tx, id, { password_hash: hash, failed_logins: 0, locked_until: null, updated_at: ctx.clock.now().toISOString() });
    await repo.deleteSessionsOf(tx, id);
    await insertAuditEvent(tx, { at: ctx.clock.now(), actor: actorOf(admin), action: 'account.password_reset', subject: account.username });
  });
}

export async function issueToken(ctx: AppContext, admin: CurrentAccount, id: number, raw: unknown): Promise<string> {
  const account = await repo.findAccount(ctx.db, id);
  if (!account || !account.active) throw new NotFoundError();
  const input = parse(z.object({ name: text(2, 60, 'Đặt tên cho khóa (2–60 ký tự), ví dụ "Ki-ốt tầng 1".') }), raw);
  return issueApiToken(ctx, id, input.name, actorOf(admin));
}

export async function revokeToken(ctx: AppContext, admin: CurrentAccount, accountId: number, tokenId: number): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await repo.revokeApiToken(tx, accountId, tokenId, ctx.clock.now().toISOString()))) throw new NotFoundError();
    await insertAuditEvent(tx, { at: ctx.clock.now(), actor: actorOf(admin), action: 'api_token.revoked', subject: String(accountId), details: { tokenId } });
  });
}

// ---- Offices ----------------------------------------------------------------------------

const officeSchema = z.object({
  code: z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v), z.string({ message: 'Nhập mã đơn vị.' }).regex(/^[0-9A-Z.]{3,40}$/, 'Mã đơn vị 3–40 ký tự: chữ in hoa, số, dấu chấm (ví dụ 000.00.10.H35).')),
  name: text(3, 200, 'Nhập tên đơn vị (3–200 ký tự).'),
  short_name: text(1, 60, 'Nhập tên ngắn (1–60 ký tự).'),
  address: optionalText(300),
  phone: optionalText(30),
  opening_hours: optionalText(300),
  parent_id: optionalInt(1, 1e9, 'Đơn vị cấp trên không hợp lệ.'),
  valid_from: localDate('Nhập ngày bắt đầu hiệu lực (yyyy-mm-dd).'),
  valid_to: optionalDate('Ngày hết hiệu lực không hợp lệ.'),
}).refine((v) => !v.valid_to || v.valid_to >= v.valid_from, { message: 'Ngày hết hiệu lực phải sau ngày bắt đầu.', path: ['valid_to'] });

async function checkParent(ctx: AppContext, id: number | null, parentId: number | null): Promise<void> {
  if (parentId === null) return;
  const all = await ctx.db.selectFrom('offices').select(['id', 'parent_id']).execute();
  if (!all.some((o) => o.id === parentId)) throw new ValidationError({ parent_id: 'Đơn vị cấp trên không tồn tại.' });
  // Walk up from the new parent: meeting this office again would make a loop.
  for (let cursor: number | null = parentId, steps = 0; cursor !== null && steps < 1000; steps++) {
    if (cursor === id) throw new ValidationError({ parent_id: 'Đơn vị cấp trên không được là chính đơn vị này hoặc đơn vị cấp dưới của nó.' });
    cursor = all.find((o) => o.id === cursor)?.parent_id ?? null;
  }
}

export async function saveOffice(ctx: AppContext, admin: CurrentAccount, id: number | null, raw: unknown): Promise<number> {
  const input = parse(officeSchema, raw);
  const existing = await repo.findOfficeByCode(ctx.db, input.code);
  if (existing && existing.id !== id) throw new ValidationError({ code: 'Mã đơn vị đã được dùng.' });
  if (id !== null && !(await repo.findOffice(ctx.db, id))) throw new NotFoundError();
  await checkParent(ctx, id, input.parent_id);
  const values = {
    code: input.code, name: input.name, short_name: input.short_name, address: input.address, phone: input.phone,
    opening_hours: input.opening_hours, parent_id: input.parent_id, valid_from: input.valid_from, valid_to: input.valid_to,
  };
  return changeMasterData(ctx, async (tx) => {
    let officeId = id;
    if (officeId === null) officeId = await repo.insertOffice(tx, { ...values, created_at: ctx.clock.now().toISOString() });
    else await repo.updateOffice(tx, officeId, values);
    await insertAuditEvent(tx, { at: ctx.clock.now(), actor: actorOf(admin), action: id === null ? 'office.created' : 'office.updated', subject: input.code, details: values });
    return officeId;
  });
}

// ---- Procedures ------------------------------------------------------------------------

const procedureSchema = z.object({
  code: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string({ message: 'Nhập mã thủ tục.' }).regex(/^[0-9A-Za-z.-]{3,40}$/, 'Mã thủ tục 3–40 ký tự: chữ, số, dấu chấm, gạch (ví dụ 1.004222).')),
  name: text(3, 300, 'Nhập tên thủ tục (3–300 ký tự).'),
  field: optionalText(200),
  report_group: z.string({ message: 'Chọn nhóm báo cáo.' }).min(1, 'Chọn nhóm báo cáo.'),
  processing_days: intIn(0, 365, 'Thời hạn là số ngày làm việc từ 0 đến 365.'),
  processing_note: optionalText(300),
  fee_vnd: optionalInt(0, 100_000_000, 'Lệ phí là số đồng, không âm (để trống nếu không cố định).'),
  fee_note: optionalText(300),
  legal_basis: optionalText(500),
  is_vehicle: checkbox,
  active: checkbox,
});

export async function saveProcedure(ctx: AppContext, admin: CurrentAccount, id: number | null, raw: unknown): Promise<number> {
  const input = parse(procedureSchema, raw);
  const groups = await repo.findReportGroups(ctx.db);
  if (!groups.some((g) => g.code === input.report_group)) throw new ValidationError({ report_group: 'Chọn nhóm báo cáo.' });
  const same = await repo.findProcedureByCodeAny(ctx.db, input.code);
  if (same && same.id !== id) throw new ValidationError({ code: 'Mã thủ tục đã có.' });
  if (id !== null && !(await repo.findProcedure(ctx.db, id))) throw new NotFoundError();
  const now = ctx.clock.now().toISOString();
  const values = {
    code: input.code, name: input.name, field: input.field, report_group: input.report_group, processing_days: input.processing_days,
    processing_note: input.processing_note, fee_vnd: input.fee_vnd, fee_note: input.fee_note, legal_basis: input.legal_basis,
    is_vehicle: input.is_vehicle ? 1 : 0, active: input.active ? 1 : 0, updated_at: now,
  };
  return changeMasterData(ctx, async (tx) => {
    let procedureId = id;
    if (procedureId === null) procedureId = await repo.insertProcedure(tx, { ...values, position: 1000, source_note: 'added by an administrator', created_at: now });
    else await repo.updateProcedure(tx, procedureId, values);
    await insertAuditEvent(tx, { at: ctx.clock.now(), actor: actorOf(admin), action: id === null ? 'procedure.created' : 'procedure.updated', subject: input.code, details: values });
    return procedureId;
  });
}

const documentSchema = z.object({
  name: text(3, 300, 'Nhập tên giấy tờ (3–300 ký tự).'),
  required: checkbox,
  copy_kind: z.enum(['original', 'certified_copy', 'photocopy', 'original_or_copy'], { message: 'Chọn hình thức.' }),
  quantity: intIn(1, 20, 'Số lượng từ 1 đến 20.'),
  position: intIn(0, 1000, 'Thứ tự từ 0 đến 1000.'),
});

export async function saveDocument(ctx: AppContext, admin: CurrentAccount, procedureId: number, documentId: number | null, raw: unknown): Promise<void> {
  const procedure = await repo.findProcedure(ctx.db, procedureId);
  if (!procedure) throw new NotFoundError();
  const input = parse(documentSchema, raw);
  const values = { name: input.name, required: input.required ? 1 : 0, copy_kind: input.copy_kind, quantity: input.quantity, position: input.position };
  const clash = (await repo.findDocuments(ctx.db, procedureId)).find((d) => d.name === input.name && d.id !== documentId);
  if (clash) throw new ValidationError({ name: 'Thủ tục đã có giấy tờ cùng tên.' });
  await changeMasterData(ctx, async (tx) => {
    if (documentId === null) await repo.insertDocument(tx, { ...values, procedure_id: procedureId });
    else if (!(await repo.updateDocument(tx, procedureId, documentId, values))) throw new NotFoundError();
    await insertAuditEvent(tx, { at: ctx.clock.now(), actor: actorOf(admin), action: documentId === null ? 'procedure_document.added' : 'procedure_document.updated', subject: procedure.code, details: values });
  });
}

export async function removeDocument(ctx: AppContext, admin: CurrentAccount, procedureId: number, documentId: number): Promise<void> {
  const procedure = await repo.findProcedure(ctx.db, procedureId);
  if (!procedure) throw new NotFoundError();
  await changeMasterData(ctx, async (tx) => {
    // Dossiers keep their own copy of the checklist, so removing a document changes no dossier.
    if (!(await repo.deleteDocument(tx, procedureId, documentId))) throw new NotFoundError();
    await insertAuditEvent(tx, { at: ctx.clock.now(), actor: actorOf(admin), action: 'procedure_document.removed', subject: procedure.code, details: { documentId } });
  });
}

// ---- Calendar --------------------------------------------------------------------------

const calendarSchema = z.object({
  day: localDate('Chọn ngày (yyyy-mm-dd).'),
  kind: z.enum(['holiday', 'make_up_workday'], { message: 'Chọn loại ngày.' }),
  name: text(2, 100, 'Nhập tên ngày nghỉ hoặc lý do làm bù (2–100 ký tự).'),
});

export async function addCalendarDay(ctx: AppContext, admin: CurrentAccount, raw: unknown): Promise<string> {
  const input = parse(calendarSchema, raw);
  const dow = new Date(`${input.day}T00:00:00Z`).getUTCDay();
  if (input.kind === 'make_up_workday' && dow !== 6) throw new ValidationError({ day: 'Ngày làm bù phải là thứ Bảy.' });
  await changeMasterData(ctx, async (tx) => {
    const added = await repo.insertCalendarDay(tx, { day: input.day, kind: input.kind, name: input.name, created_at: ctx.clock.now().toISOString() });
    if (!added) throw new ValidationError({ day: 'Ngày này đã có trong lịch; xóa ngày cũ trước nếu muốn sửa.' });
    await insertAuditEvent(tx, { at: ctx.clock.now(), actor: actorOf(admin), action: 'calendar_day.added', subject: input.day, details: { kind: input.kind, name: input.name } });
  });
  return input.day;
}

export async function removeCalendarDay(ctx: AppContext, admin: CurrentAccount, day: string): Promise<void> {
  if (!isIsoDate(day)) throw new NotFoundError();
  await changeMasterData(ctx, async (tx) => {
    if (!(await repo.deleteCalendarDay(tx, day))) throw new NotFoundError();
    await insertAuditEvent(tx, { at: ctx.clock.now(), actor: actorOf(admin), action: 'calendar_day.removed', subject: day });
  });
}
