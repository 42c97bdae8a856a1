import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { Router, type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import type { AppContext } from '../context.js';
import { requireLogin, requireRole } from '../http/auth.js';
import { handleForm, type FormFailure } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { setFlash } from '../http/view-locals.js';
import { vi } from '../locale/vi.js';
import { NotFoundError } from '../errors.js';
import { accessibleOfficeIds } from '../office-scope.js';
import { amountInWords } from './amount-words.js';
import {
  awaitTransfer,
  cancelPayment,
  cancelReceipt,
  paymentOverview,
  receiptForPrint,
  recordCash,
  refundPayment,
  setAmount,
} from './payments.service.js';
import { vietQrBlockFor } from './slip-qr.js';
import { importStatement, resolveReview, reviewList } from './statement.service.js';
import { dayTakings, writeTakingsCsv, writeTakingsXlsx } from './takings.service.js';

const P = vi.payments;
const STATEMENT_PATH = '/thu-phi/doi-soat/sao-ke';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Parses the multipart upload of a bank statement before the CSRF check (its `_csrf` field is in
 * the multipart body), for supervisors and administrators only; the file is deleted when the
 * response ends.
 */
export function statementUploadParser(ctx: AppContext) {
  mkdirSync(ctx.config.importUploadDir, { recursive: true, mode: 0o700 });
  chmodSync(ctx.config.importUploadDir, 0o700);
  const upload = multer({
    storage: multer.diskStorage({
      destination: ctx.config.importUploadDir,
      filename: (_req, _file, cb) =>
        cb(null, `${Date.now()}-${randomBytes(12).toString('hex')}.statement`),
    }),
    limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 10, parts: 12 },
    defParamCharset: 'utf8',
  }).single('file');
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || req.path !== STATEMENT_PATH) return next();
    if (!req.account || req.account.role === 'officer') return next();
    res.on('finish', () => {
      if (req.file) unlink(req.file.path).catch(() => undefined);
    });
    upload(req, res, (err?: unknown) => {
      if (err) {
        req.body ??= {};
        (req.body as Record<string, unknown>).__uploadError = true;
      }
      next();
    });
  };
}

/** The payment page of a dossier, receipts, the day's takings and the review (Vietnamese pages). */
export function paymentRoutes(ctx: AppContext): Router {
  const router = Router();
  const ref = (req: Request) => String(req.params.ref);
  const base = (r: string) => `/ho-so/${encodeURIComponent(r)}/thu-phi`;

  async function renderPage(req: Request, res: Response, failure?: FormFailure & { form: string }) {
    const view = await paymentOverview(ctx, req.account!, ref(req));
    res.render('payments/show', {
      title: P.page.title(view.dossier.code ?? `#${view.dossier.id}`),
      ...view,
      vietqrBlock: await vietQrBlockFor(ctx, view.dossier),
      words: view.standing.amountDue ? amountInWords(view.standing.amountDue) : '',
      failedForm: failure?.form ?? null,
      errors: failure?.errors ?? {},
      values: failure?.values ?? {},
      conflict: failure?.conflict ?? null,
    });
  }

  router.get('/ho-so/:ref/thu-phi', requireLogin, (req, res) => renderPage(req, res));

  const forms: [string, (req: Request) => Promise<string>][] = [
    [
      'tien-mat',
      async (req) => {
        const { receipt } = await recordCash(ctx, req.account!, ref(req), req.body);
        setFlash(req, P.page.paid(receipt.number));
        return `/thu-phi/bien-lai/${receipt.id}?in=1`;
      },
    ],
    [
      'cho-chuyen-khoan',
      async (req) => (await awaitTransfer(ctx, req.account!, ref(req), req.body), base(ref(req))),
    ],
    [
      'thoi-cho',
      async (req) => (
        await awaitTransfer(ctx, req.account!, ref(req), req.body, true),
        base(ref(req))
      ),
    ],
    [
      'so-tien',
      async (req) => (await setAmount(ctx, req.account!, ref(req), req.body), base(ref(req))),
    ],
    [
      'huy',
      async (req) => (await cancelPayment(ctx, req.account!, ref(req), req.body), base(ref(req))),
    ],
    [
      'hoan-phi',
      async (req) => (await refundPayment(ctx, req.account!, ref(req), req.body), base(ref(req))),
    ],
  ];
  for (const [name, act] of forms) {
    router.post(`/ho-so/:ref/thu-phi/${name}`, requireLogin, async (req, res) => {
      await handleForm(
        req,
        res,
        async () => res.redirect(303, await act(req)),
        (failure) => renderPage(req, res, { ...failure, form: name }),
      );
    });
  }

  router.get('/thu-phi/bien-lai/:id', requireLogin, async (req, res) => {
    const view = await receiptForPrint(ctx, req.account!, idParam(req));
    res.render('payments/receipt', {
      title: P.receipt.title(view.receipt.number),
      ...view,
      words: amountInWords(view.receipt.amount),
      bodyClass: 'slip-page layout-a5',
      autoPrint: req.query.in === '1',
      errors: {},
      values: {},
    });
  });

  router.post('/thu-phi/bien-lai/:id/huy', requireRole('supervisor', 'admin'), async (req, res) => {
    const id = idParam(req);
    await handleForm(
      req,
      res,
      async () => {
        const { replacement } = await cancelReceipt(ctx, req.account!, id, req.body);
        setFlash(req, P.receipt.replaced(replacement.number));
        res.redirect(303, `/thu-phi/bien-lai/${replacement.id}`);
      },
      async (failure) => {
        const view = await receiptForPrint(ctx, req.account!, id);
        res.render('payments/receipt', {
          title: P.receipt.title(view.receipt.number),
          ...view,
          words: amountInWords(view.receipt.amount),
          bodyClass: 'slip-page layout-a5',
          autoPrint: false,
          errors: failure.errors,
          values: failure.values,
          conflict: failure.conflict,
        });
      },
    );
  });

  router.get(['/thu-phi/so-thu', '/thu-phi/so-thu.:ext'], requireLogin, async (req, res) => {
    const ext = req.params.ext as string | undefined;
    if (ext && ext !== 'csv' && ext !== 'xlsx') throw new NotFoundError();
    const takings = await dayTakings(ctx, req.account!, req.query);
    if (!ext) {
      const scope = await accessibleOfficeIds(ctx, req.account!);
      const offices = (await ctx.masterData.offices()).filter((o) => scope.includes(o.id));
      return res.render('payments/takings', {
        title: P.takingsTitle,
        takings,
        offices,
        bodyClass: 'report-page',
      });
    }
    const name = `so-thu-${takings.office.code}-${takings.day}.${ext}`;
    res.setHeader('Content-Type', ext === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE);
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    if (ext === 'csv') await writeTakingsCsv(res, takings, ctx.clock.now());
    else await writeTakingsXlsx(res, takings, ctx.clock.now());
  });

  async function renderReview(req: Request, res: Response, extra: Record<string, unknown> = {}) {
    const review = await reviewList(ctx, req.account!);
    const scope = await accessibleOfficeIds(ctx, req.account!);
    const offices = (await ctx.masterData.offices()).filter((o) => scope.includes(o.id));
    res.render('payments/review', {
      title: P.review.title,
      ...review,
      offices,
      report: null,
      errors: {},
      values: {},
      ...extra,
    });
  }

  router.get('/thu-phi/doi-soat', requireRole('supervisor', 'admin'), (req, res) =>
    renderReview(req, res),
  );

  router.post(STATEMENT_PATH, requireRole('supervisor', 'admin'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const officeId = Number(body.office_id);
    const file =
      req.file && !body.__uploadError && req.file.size > 0
        ? { path: req.file.path, name: path.basename(req.file.originalname || 'sao-ke') }
        : null;
    await handleForm(
      req,
      res,
      async () => {
        const report = await importStatement(
          ctx,
          req.account!,
          Number.isInteger(officeId) ? officeId : -1,
          file,
        );
        await renderReview(req, res, { report });
      },
      (failure) => renderReview(req, res, { errors: failure.errors, values: failure.values }),
    );
  });

  router.post(
    '/thu-phi/doi-soat/:kind/:id',
    requireRole('supervisor', 'admin'),
    async (req, res) => {
      const kind = String(req.params.kind);
      if (kind !== 'callback' && kind !== 'line') throw new NotFoundError();
      const id = idParam(req);
      await handleForm(
        req,
        res,
        async () => {
          await resolveReview(ctx, req.account!, kind, id, req.body);
          setFlash(req, P.review.resolved);
          res.redirect(303, '/thu-phi/doi-soat');
        },
        (failure) =>
          renderReview(req, res, {
            errors: failure.errors,
            values: failure.values,
            failedItem: `${kind}-${id}`,
            conflict: failure.conflict,
          }),
      );
    },
  );

  return router;
}
