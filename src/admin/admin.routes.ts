import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { requireRole } from '../http/auth.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import { setFlash } from '../http/view-locals.js';
import { addDays, dayOfWeek, localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { findAllOffices } from '../offices/offices.repository.js';
import * as repo from './admin.repository.js';
import * as admin from './admin.service.js';

type Values = Record<string, unknown>;
type Field = { name: string; label: string; type?: string; options?: [string | number, string][]; required?: boolean; hint?: string; blank?: string; wide?: boolean; max?: number };

const ROLE_OPTIONS: [string, string][] = Object.entries(vi.roles);
const COPY_OPTIONS: [string, string][] = Object.entries(vi.dossiers.copyKind);

function idParam(req: Request, name = 'id'): number {
  const text = String(req.params[name] ?? '');
  if (!/^\d{1,9}$/.test(text)) throw new NotFoundError();
  return Number(text);
}

/** Runs a form action; on a ValidationError re-renders the page with 422, the typed values kept. */
async function handleForm(req: Request, res: Response, act: () => Promise<void>, rerender: (errors: Record<string, string>, values: Values) => Promise<void>) {
  try {
    await act();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    res.status(422);
    await rerender(err.fields, { ...(req.body ?? {}) });
  }
}

/** Administration pages (admin role only): accounts, offices, procedures and the calendar. */
export function adminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/quan-tri', (req, res, next) => (req.path.startsWith('/nhat-ky') ? next() : requireRole('admin')(req, res, next)));

  const officeOptions = async (): Promise<[number, string][]> => (await findAllOffices(ctx.db)).map((o) => [o.id, `${o.name} (${o.code})`]);

  router.get('/quan-tri', (_req, res) => res.render('admin/index', { title: 'Quản trị' }));

  // ---- Accounts ----
  const accountCreateFields = async (): Promise<Field[]> => [
    { name: 'username', label: 'Tên đăng nhập', required: true, hint: 'chữ thường không dấu, số, dấu chấm, gạch' },
    { name: 'full_name', label: 'Họ và tên', required: true },
    { name: 'role', label: 'Vai trò', type: 'select', options: ROLE_OPTIONS, required: true },
    { name: 'office_id', label: 'Đơn vị', type: 'select', options: await officeOptions(), required: true },
    { name: 'password', label: 'Mật khẩu ban đầu', type: 'password', required: true, hint: 'ít nhất 10 ký tự' },
  ];

  async function showAccounts(res: Response, errors: Record<string, string> = {}, values: Values = { role: 'officer' }) {
    res.render('admin/accounts', { title: 'Tài khoản', accounts: await repo.findAccounts(ctx.db), createFields: await accountCreateFields(), errors, values });
  }
  router.get('/quan-tri/tai-khoan', async (_req, res) => showAccounts(res));
  router.post('/quan-tri/tai-khoan', async (req, res) =>
    handleForm(req, res, async () => {
      const id = await admin.createAccount(ctx, req.account!, req.body);
      setFlash(req, 'Đã tạo tài khoản.');
      res.redirect(303, `/quan-tri/tai-khoan/${id}`);
    }, (errors, values) => showAccounts(res, errors, values)),
  );

  async function showAccount(req: Request, res: Response, extra: { errors?: Record<string, string>; values?: Values; section?: string; issuedToken?: string } = {}) {
    const target = await repo.findAccount(ctx.db, idParam(req));
    if (!target) throw new NotFoundError();
    res.render('admin/account', {
      title: target.username,
      target,
      editFields: [
        { name: 'full_name', label: 'Họ và tên', required: true },
        { name: 'role', label: 'Vai trò', type: 'select', options: ROLE_OPTIONS, required: true },
        { name: 'office_id', label: 'Đơn vị', type: 'select', options: await officeOptions(), required: true },
        { name: 'active', label: 'Đang hoạt động (bỏ chọn để khóa tài khoản)', type: 'checkbox' },
      ],
      passwordFields: [
        { name: 'password', label: 'Mật khẩu mới', type: 'password', required: true, hint: 'ít nhất 10 ký tự' },
        { name: 'password_confirm', label: 'Nhập lại mật khẩu mới', type: 'password', required: true },
      ],
      tokenFields: [{ name: 'name', label: 'Tên khóa', required: true, hint: 'ví dụ "Ki-ốt tầng 1"' }],
      tokens: await repo.findApiTokens(ctx.db, target.id),
      values: extra.values ?? { ...target, active: target.active ? '1' : '' },
      errors: extra.errors ?? {},
      section: extra.section ?? null,
      issuedToken: extra.issuedToken ?? null,
    });
  }
  router.get('/quan-tri/tai-khoan/:id', async (req, res) => showAccount(req, res));
  router.post('/quan-tri/tai-khoan/:id', async (req, res) =>
    handleForm(req, res, async () => {
      await admin.updateAccount(ctx, req.account!, idParam(req), req.body);
      setFlash(req, 'Đã lưu tài khoản.');
      res.redirect(303, `/quan-tri/tai-khoan/${idParam(req)}`);
    }, (errors, values) => showAccount(req, res, { errors, values, section: 'edit' })),
  );
  router.post('/quan-tri/tai-khoan/:id/mat-khau', async (req, res) =>
    handleForm(req, res, async () => {
      await admin.resetPassword(ctx, req.account!, idParam(req), req.body);
      setFlash(req, 'Đã đặt lại mật khẩu; các phiên đăng nhập cũ của tài khoản đã kết thúc.');
      res.redirect(303, `/quan-tri/tai-khoan/${idParam(req)}`);
    }, (errors) => showAccount(req, res, { errors, section: 'password' })),
  );
  router.post('/quan-tri/tai-khoan/:id/khoa-api', async (req, res) =>
    handleForm(req, res, async () => {
      // Rendered, not redirected: the token must never sit in a session or a URL.
      const token = await admin.issueToken(ctx, req.account!, idParam(req), req.body);
      res.setHeader('Cache-Control', 'no-store');
      await showAccount(req, res, { issuedToken: token });
    }, (errors) => showAccount(req, res, { errors, section: 'token' })),
  );
  router.post('/quan-tri/tai-khoan/:id/khoa-api/:tokenId/thu-hoi', async (req, res) => {
    await admin.revokeToken(ctx, req.account!, idParam(req), idParam(req, 'tokenId'));
    setFlash(req, 'Đã thu hồi khóa API.');
    res.redirect(303, `/quan-tri/tai-khoan/${idParam(req)}`);
  });

  // ---- Offices ----
  const officeFields = async (exceptId: number | null): Promise<Field[]> => [
    { name: 'code', label: 'Mã đơn vị (QCVN 102)', required: true, hint: 'ví dụ 000.00.10.H35; dùng trong mã hồ sơ' },
    { name: 'name', label: 'Tên đơn vị', required: true, wide: true },
    { name: 'short_name', label: 'Tên ngắn', required: true },
    { name: 'parent_id', label: 'Đơn vị cấp trên', type: 'select', blank: '— không có —', options: (await officeOptions()).filter(([id]) => id !== exceptId) },
    { name: 'address', label: 'Địa chỉ', wide: true },
    { name: 'phone', label: 'Điện thoại' },
    { name: 'opening_hours', label: 'Giờ làm việc', wide: true },
    { name: 'valid_from', label: 'Hiệu lực từ', type: 'date', required: true },
    { name: 'valid_to', label: 'Hết hiệu lực (để trống nếu còn)', type: 'date' },
  ];
  async function showOffices(res: Response, errors: Record<string, string> = {}, values: Values = { valid_from: localDateOf(ctx.clock.now()) }) {
    res.render('admin/offices', { title: 'Đơn vị', offices: await findAllOffices(ctx.db), fields: await officeFields(null), errors, values });
  }
  router.get('/quan-tri/don-vi', async (_req, res) => showOffices(res));
  router.post('/quan-tri/don-vi', async (req, res) =>
    handleForm(req, res, async () => {
      const id = await admin.saveOffice(ctx, req.account!, null, req.body);
      setFlash(req, 'Đã thêm đơn vị.');
      res.redirect(303, `/quan-tri/don-vi/${id}`);
    }, (errors, values) => showOffices(res, errors, values)),
  );
  async function showOffice(req: Request, res: Response, errors: Record<string, string> = {}, values?: Values) {
    const office = await repo.findOffice(ctx.db, idParam(req));
    if (!office) throw new NotFoundError();
    res.render('admin/office', { title: office.name, office, fields: await officeFields(office.id), errors, values: values ?? office });
  }
  router.get('/quan-tri/don-vi/:id', async (req, res) => showOffice(req, res));
  router.post('/quan-tri/don-vi/:id', async (req, res) =>
    handleForm(req, res, async () => {
      await admin.saveOffice(ctx, req.account!, idParam(req), req.body);
      setFlash(req, 'Đã lưu đơn vị.');
      res.redirect(303, `/quan-tri/don-vi/${idParam(req)}`);
    }, (errors, values) => showOffice(req, res, errors, values)),
  );

  // ---- Procedures ----
  const procedureFields = async (): Promise<Field[]> => [
    { name: 'code', label: 'Mã thủ tục', required: true, hint: 'mã trên CSDL quốc gia về TTHC, ví dụ 1.004222' },
    { name: 'name', label: 'Tên thủ tục', required: true, wide: true },
    { name: 'field', label: 'Lĩnh vực' },
    { name: 'report_group', label: 'Nhóm báo cáo', type: 'select', options: (await repo.findReportGroups(ctx.db)).map((g) => [g.code, g.name]), required: true },
    { name: 'processing_days', label: 'Thời hạn (ngày làm việc)', type: 'number', required: true, hint: '0 = giải quyết ngay' },
    { name: 'processing_note', label: 'Ghi chú thời hạn', wide: true },
    { name: 'fee_vnd', label: 'Lệ phí (đồng)', type: 'number', hint: 'để trống nếu không cố định' },
    { name: 'fee_note', label: 'Ghi chú lệ phí', wide: true },
    { name: 'legal_basis', label: 'Căn cứ pháp lý', type: 'textarea', wide: true },
    { name: 'is_vehicle', label: 'Thủ tục đăng ký xe (hỏi loại xe, biển số)', type: 'checkbox' },
    { name: 'active', label: 'Đang áp dụng', type: 'checkbox' },
  ];
  const documentFields: Field[] = [
    { name: 'name', label: 'Tên giấy tờ', required: true, wide: true },
    { name: 'copy_kind', label: 'Hình thức', type: 'select', options: COPY_OPTIONS, required: true },
    { name: 'quantity', label: 'Số lượng', type: 'number', required: true },
    { name: 'position', label: 'Thứ tự', type: 'number', required: true },
    { name: 'required', label: 'Bắt buộc', type: 'checkbox' },
  ];
  async function showProcedures(res: Response, errors: Record<string, string> = {}, values: Values = { active: '1', processing_days: 1 }) {
    res.render('admin/procedures', { title: 'Thủ tục', procedures: await repo.findProcedures(ctx.db), fields: await procedureFields(), errors, values });
  }
  router.get('/quan-tri/thu-tuc', async (_req, res) => showProcedures(res));
  router.post('/quan-tri/thu-tuc', async (req, res) =>
    handleForm(req, res, async () => {
      const id = await admin.saveProcedure(ctx, req.account!, null, req.body);
      setFlash(req, 'Đã thêm thủ tục; hãy thêm thành phần hồ sơ.');
      res.redirect(303, `/quan-tri/thu-tuc/${id}`);
    }, (errors, values) => showProcedures(res, errors, values)),
  );
  async function showProcedure(req: Request, res: Response, extra: { errors?: Record<string, string>; values?: Values; section?: string; docValues?: Values } = {}) {
    const procedure = await repo.findProcedure(ctx.db, idParam(req));
    if (!procedure) throw new NotFoundError();
    res.render('admin/procedure', {
      title: procedure.name,
      procedure,
      fields: await procedureFields(),
      documentFields,
      documents: await repo.findDocuments(ctx.db, procedure.id),
      values: extra.section === 'procedure' && extra.values ? extra.values : { ...procedure, is_vehicle: procedure.is_vehicle ? '1' : '', active: procedure.active ? '1' : '' },
      docValues: extra.docValues ?? {},
      errors: extra.errors ?? {},
      section: extra.section ?? null,
    });
  }
  router.get('/quan-tri/thu-tuc/:id', async (req, res) => showProcedure(req, res));
  router.post('/quan-tri/thu-tuc/:id', async (req, res) =>
    handleForm(req, res, async () => {
      await admin.saveProcedure(ctx, req.account!, idParam(req), req.body);
      setFlash(req, 'Đã lưu thủ tục.');
      res.redirect(303, `/quan-tri/thu-tuc/${idParam(req)}`);
    }, (errors, values) => showProcedure(req, res, { errors, values, section: 'procedure' })),
  );
  router.post('/quan-tri/thu-tuc/:id/giay-to', async (req, res) =>
    handleForm(req, res, async () => {
      await admin.saveDocument(ctx, req.account!, idParam(req), null, req.body);
      setFlash(req, 'Đã thêm giấy tờ.');
      res.redirect(303, `/quan-tri/thu-tuc/${idParam(req)}`);
    }, (errors, values) => showProcedure(req, res, { errors, docValues: values, section: 'doc-new' })),
  );
  router.post('/quan-tri/thu-tuc/:id/giay-to/:docId', async (req, res) =>
    handleForm(req, res, async () => {
      await admin.saveDocument(ctx, req.account!, idParam(req), idParam(req, 'docId'), req.body);
      setFlash(req, 'Đã lưu giấy tờ.');
      res.redirect(303, `/quan-tri/thu-tuc/${idParam(req)}`);
    }, (errors, values) => showProcedure(req, res, { errors, docValues: values, section: `doc-${idParam(req, 'docId')}` })),
  );
  router.post('/quan-tri/thu-tuc/:id/giay-to/:docId/xoa', async (req, res) => {
    await admin.removeDocument(ctx, req.account!, idParam(req), idParam(req, 'docId'));
    setFlash(req, 'Đã xóa giấy tờ khỏi thủ tục.');
    res.redirect(303, `/quan-tri/thu-tuc/${idParam(req)}`);
  });

  // ---- Calendar ----
  const calendarFields: Field[] = [
    { name: 'day', label: 'Ngày', type: 'date', required: true },
    { name: 'kind', label: 'Loại', type: 'select', options: [['holiday', 'Nghỉ lễ'], ['make_up_workday', 'Làm bù (thứ Bảy)']], required: true },
    { name: 'name', label: 'Tên / lý do', required: true, wide: true, hint: 'ví dụ "Tết Nguyên đán" hoặc "Làm bù cho ngày 02/01"' },
  ];
  async function showCalendar(req: Request, res: Response, errors: Record<string, string> = {}, values: Values = { kind: 'holiday' }) {
    const yearText = typeof req.query.nam === 'string' ? req.query.nam : '';
    const year = /^\d{4}$/.test(yearText) && Number(yearText) >= 2000 && Number(yearText) <= 2100 ? Number(yearText) : Number(localDateOf(ctx.clock.now()).slice(0, 4));
    const days = await repo.findCalendarYear(ctx.db, year);
    const months = Array.from({ length: 12 }, (_, m) => {
      const first = `${year}-${String(m + 1).padStart(2, '0')}-01`;
      const cells: ({ date: number; kind: string; name?: string } | null)[] = Array((dayOfWeek(first) + 6) % 7).fill(null);
      for (let d = first; d.slice(5, 7) === first.slice(5, 7); d = addDays(d, 1)) {
        const entry = days.find((x) => x.day === d);
        const weekend = dayOfWeek(d) === 0 || dayOfWeek(d) === 6;
        cells.push({ date: Number(d.slice(8)), kind: entry?.kind ?? (weekend ? 'weekend' : 'workday'), ...(entry ? { name: entry.name } : {}) });
      }
      const weeks = [];
      for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
      return { number: m + 1, weeks };
    });
    res.render('admin/calendar', { title: `Lịch năm ${year}`, year, days, months, fields: calendarFields, errors, values });
  }
  router.get('/quan-tri/lich', async (req, res) => showCalendar(req, res));
  router.post('/quan-tri/lich', async (req, res) =>
    handleForm(req, res, async () => {
      const day = await admin.addCalendarDay(ctx, req.account!, req.body);
      setFlash(req, 'Đã thêm vào lịch.');
      res.redirect(303, `/quan-tri/lich?nam=${day.slice(0, 4)}`);
    }, (errors, values) => showCalendar(req, res, errors, values)),
  );
  router.post('/quan-tri/lich/:day/xoa', async (req, res) => {
    const day = String(req.params.day);
    await admin.removeCalendarDay(ctx, req.account!, day);
    setFlash(req, 'Đã xóa khỏi lịch.');
    res.redirect(303, `/quan-tri/lich?nam=${day.slice(0, 4)}`);
  });

  return router;
}
