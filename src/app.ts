import path from 'node:path';
import ejs from 'ejs';
import { gated } from './http/route-gate.js';
import { dossierTableRenderer } from './http/dossier-table.js';
import express, { type Express } from 'express';
import type { AppContext } from './context.js';
import { accountAdminRoutes } from './accounts/account-admin.routes.js';
import { accountRoutes } from './accounts/accounts.routes.js';
import { calendarBanner, calendarRoutes } from './calendar/calendar.routes.js';
import { officeRoutes } from './offices/offices.routes.js';
import { successionRoutes } from './succession/succession.routes.js';
import { procedureRoutes } from './procedures/procedures.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { healthRoutes } from './health/health.routes.js';
import { metricsRoutes } from './metrics/metrics.routes.js';
import { importRoutes, importUploadParser } from './imports/imports.routes.js';
import { loadAccount } from './http/auth.js';
import { csrfProtection } from './http/csrf.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { proxyHeaderWarning, requestObserver } from './http/request-logger.js';
import { securityHeaders } from './http/security-headers.js';
import { sessionMiddleware } from './http/session.js';
import { viewLocals } from './http/view-locals.js';
import { writeRateLimit } from './http/write-limit.js';
import {
  dossierApiRoutes,
  dossierRoutes,
  intakeRoutes,
  postalApiRoutes,
  worklistRoutes,
} from './dossiers/index.js';
import { lookupRoutes } from './lookup/lookup.routes.js';
import { installFrontDoor } from './lookup/lookup-front-door.js';
import { reportApiRoutes, reportRoutes } from './reports/reports.routes.js';
import { scorecardApiRoutes, scorecardRoutes } from './scorecard/scorecard.routes.js';
import { projectRoot as root } from './lib/paths.js';
import { unitRoutes } from './units/units.routes.js';
import { openApiDocument } from './openapi.js';
import { notificationRoutes } from './notifications/notifications.routes.js';
import { queuePageRoutes, queuePublicRoutes } from './queue/queue.routes.js';
import { queueApiRoutes } from './queue/queue.api.js';
import { counterRoutes } from './queue/counter.routes.js';
import { bookingRoutes } from './queue/booking.routes.js';
import { bookingAdminRoutes } from './queue/booking-admin.routes.js';
import { paymentApiRoutes, paymentCallbackRoutes } from './payments/payments.api.js';
import { paymentRoutes, statementUploadParser } from './payments/payments.routes.js';
import { feeRuleAdminRoutes } from './payments/fee-rules-admin.routes.js';
import { citizenFileRoutes } from './lookup/result-download.routes.js';
import { digitisationApiRoutes, fileApiRoutes } from './files/files.api.js';
import { fileRoutes } from './files/files.routes.js';
import { onlineApiRoutes, onlineDeliveryParser } from './online/online.api.js';
import { onlineRoutes } from './online/online.routes.js';
import { onlineMultipartParser } from './online/multipart.js';
import { fileUploadParser } from './files/upload.js';

/** Builds the Express app from an explicit context. It never listens: main.ts and tests do. */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy ? 1 : false);
  const views = path.join(root, 'views');
  const cacheViews = ctx.config.env === 'production';
  // Includes are written from the views folder ('/partials/head'): with `root` set, EJS joins the
  // path instead of probing the disk for it on every render (fs.existsSync per include was a
  // measurable share of the citizen page's time).
  app.engine('ejs', (file, data, done) => {
    ejs.renderFile(
      file,
      data as ejs.Data,
      { root: views, views: [views], cache: cacheViews },
      done as (err: Error | null, html?: string) => void,
    );
  });
  app.set('view engine', 'ejs');
  app.set('views', views);
  // The rules a page states in its text (the same-day cut-off), as the configuration sets them.
  app.locals.rules = { sameDayCutoffTime: ctx.config.sameDayCutoffTime };
  // The dossier table the board, the search and the reports show, as a compiled function.
  app.locals.dossierTable = dossierTableRenderer(cacheViews);
  // Pages and API answers are no-store; an ETag (a SHA-1 over every body) would never be used.
  app.set('etag', false);
  if (ctx.config.env === 'production') app.enable('view cache');

  app.use(requestObserver(ctx));
  // The citizen's lookup on its own path: answered in front of Express when it can be, else by
  // its routes here, before Helmet, the static files, the session, the body parsers, the account
  // and CSRF middleware it never needs; its headers set by itself.
  const lookup = lookupRoutes(ctx, (address, hop) =>
    (app.get('trust proxy fn') as (a: string, h: number) => boolean)(address, hop),
  );
  installFrontDoor(app, lookup.frontDoor);
  app.use(lookup.router);
  app.use(securityHeaders(ctx));
  app.use(
    '/public',
    express.static(path.join(root, 'public'), {
      maxAge: ctx.config.env === 'production' ? '1d' : 0,
    }),
  );
  // Everything but the static files may carry personal data or a lookup key: never stored by a
  // browser or a proxy.
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(proxyHeaderWarning(ctx));
  app.use(gated(healthRoutes(ctx)));
  // The citizen's download of an electronic result (with Helmet's headers; no session).
  app.use(gated(citizenFileRoutes(ctx)));
  app.use(gated(metricsRoutes(ctx)));
  // The hall's call display and its streams, and the phone page's stream: public, no session.
  app.use(gated(queuePublicRoutes(ctx)));
  // A payment provider's signed callback: its signature covers the raw body, read here.
  app.use(gated(paymentCallbackRoutes(ctx)));
  app.get('/api/v1/openapi.json', (_req, res) =>
    res.json(openApiDocument(ctx.config.publicBaseUrl)),
  );

  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 500 }));
  app.use(onlineDeliveryParser(ctx)); // a portal's delivery carries its files as base64
  app.use(express.json({ limit: '100kb' }));
  app.use(sessionMiddleware(ctx));
  const writeLimit = writeRateLimit(ctx);
  app.use(loadAccount(ctx, writeLimit));
  app.use(writeLimit.middleware);
  app.use(viewLocals);
  app.use(calendarBanner(ctx));
  app.use(importUploadParser(ctx)); // multipart: its _csrf field must be parsed before the check
  app.use(statementUploadParser(ctx));
  app.use(fileUploadParser(ctx)); // likewise; it checks the token itself before writing a byte
  app.use(onlineMultipartParser(ctx)); // a portal's multipart delivery, streamed to the spool
  app.use(csrfProtection);

  // Each feature router behind a check of the path: a request walks only the stacks that can answer it.
  app.use(gated(accountRoutes(ctx)));
  app.use(gated(auditRoutes(ctx)));
  app.use(gated(reportRoutes(ctx)));
  app.use(gated(reportApiRoutes(ctx)));
  app.use(gated(scorecardRoutes(ctx)));
  app.use(gated(scorecardApiRoutes(ctx)));
  app.use(gated(importRoutes(ctx)));
  app.use(gated(accountAdminRoutes(ctx)));
  app.use(gated(officeRoutes(ctx)));
  app.use(gated(successionRoutes(ctx)));
  app.use(gated(procedureRoutes(ctx)));
  app.use(gated(calendarRoutes(ctx)));
  app.use(gated(intakeRoutes(ctx)));
  app.use(gated(unitRoutes(ctx)));
  app.use(gated(notificationRoutes(ctx)));
  app.use(gated(worklistRoutes(ctx)));
  app.use(gated(queueApiRoutes(ctx)));
  app.use(gated(queuePageRoutes(ctx)));
  app.use(gated(bookingRoutes(ctx)));
  app.use(gated(counterRoutes(ctx)));
  app.use(gated(bookingAdminRoutes(ctx)));
  app.use(gated(paymentApiRoutes(ctx)));
  app.use(gated(paymentRoutes(ctx)));
  app.use(gated(feeRuleAdminRoutes(ctx)));
  app.use(gated(fileRoutes(ctx)));
  app.use(gated(onlineApiRoutes(ctx)));
  app.use(gated(onlineRoutes(ctx)));
  app.use(gated(fileApiRoutes(ctx)));
  app.use(gated(digitisationApiRoutes(ctx)));
  app.use(gated(dossierRoutes(ctx)));
  app.use(gated(dossierApiRoutes(ctx)));
  app.use(gated(postalApiRoutes(ctx)));

  app.use(notFoundHandler);
  app.use(errorHandler(ctx));
  return app;
}
