import { z } from 'zod';
import {
  actionInputSchema,
  correctionInputSchema,
  handoverInputSchema,
  intakeInputSchema,
  listQuery,
} from './dossiers/index.js';
import { summaryQuery } from './reports/reports.routes.js';
import { QUEUE_OPERATIONS } from './queue/queue.openapi.js';
import { PAYMENT_OPERATIONS } from './payments/payments.openapi.js';
import { FILE_OPERATIONS } from './files/files.openapi.js';
import { SCORECARD_OPERATIONS } from './scorecard/scorecard.openapi.js';
import { ONLINE_OPERATIONS } from './online/online.openapi.js';
import { postalDeliverySchema } from './dossiers/index.js';

/**
 * The OpenAPI 3.1 document of `/api/v1`, generated from the zod schemas the routes parse with
 * (bodies and queries), so what it says a route takes is what the route checks. A test walks the
 * app's routes and this list both ways, so no route goes undocumented (docs/API.md has the prose).
 */
export interface Operation {
  method: 'get' | 'post';
  path: string;
  summary: string;
  tag: string;
  /** No bearer token needed (the citizen lookup, this document). */
  open?: true;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A multipart/form-data body: its JSON schema (files as binary strings). */
  multipart?: Record<string, unknown>;
  /** A successful answer that is a file's bytes: its content types and schemas. */
  binary?: Record<string, unknown>;
  responses: Record<string, string>;
}

const errors = {
  '401': 'No or a bad token',
  '403': 'Not allowed for this account or token scope',
  '422': 'Bad input: `error.fields` names each field',
};
const lookupQuery = z.object({
  code: z.string().max(40).describe('The dossier code (also `ma`)'),
  key: z.string().max(20).describe('The lookup key printed on the receipt (also `khoa`)'),
});
const deadlinesQuery = summaryQuery.pick({ office: true });
const applicantBody = z.object({
  personal_id: z
    .string()
    .regex(/^\d{12}$/)
    .describe('12-digit ID number'),
});
const boardQuery = z.object({
  office_id: z
    .string()
    .regex(/^\d{1,9}$/)
    .optional(),
});
const receiptBody = z.object({
  id: z
    .union([z.string(), z.number()])
    .describe('The provider’s message id (also message_id, msg_id)'),
  status: z.enum(['delivered', 'failed']),
  error: z.string().optional(),
});
const actionBody = z
  .union([actionInputSchema, handoverInputSchema, correctionInputSchema])
  .describe('`version` plus the fields of the action (see docs/API.md)');

export const API_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'This document',
    tag: 'meta',
    open: true,
    responses: { '200': 'OpenAPI 3.1 document' },
  },
  {
    method: 'get',
    path: '/api/v1/procedures',
    summary: 'The active procedures with their documents',
    tag: 'catalog',
    responses: { '200': '`{ procedures: [...] }`', ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/procedures/{code}',
    summary: 'One procedure',
    tag: 'catalog',
    responses: { '200': '`{ procedure }`', '404': 'Unknown or retired', ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/calendar/{year}',
    summary: 'Days off and make-up days of a year, as due dates count them',
    tag: 'catalog',
    responses: { '200': '`{ year, status, days }`', '404': 'Year outside 1990–2100', ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/dossiers',
    summary: 'Search dossiers in the offices the account sees',
    tag: 'dossiers',
    query: listQuery,
    responses: { '200': '`{ dossiers, page, has_next }`', ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/dossiers',
    summary: 'Intake: accept, guide to supplement or refuse (Idempotency-Key header optional)',
    tag: 'dossiers',
    body: intakeInputSchema,
    responses: {
      '201': '`{ dossier, lookup_key, lookup_url, due_explanation }`',
      '200': 'A replay of the same Idempotency-Key',
      '409': 'Conflict',
      ...errors,
    },
  },
  {
    method: 'get',
    path: '/api/v1/dossiers/{ref}',
    summary: 'A dossier with documents, events, holder and steps',
    tag: 'dossiers',
    responses: {
      '200': '`{ dossier, documents, events, holder, steps, allowed_actions, apology_due }`',
      '404': 'Not found (or another office’s)',
      ...errors,
    },
  },
  {
    method: 'post',
    path: '/api/v1/dossiers/{ref}/actions/{action}',
    summary: 'A workflow or handover action at the dossier’s version',
    tag: 'dossiers',
    body: actionBody,
    responses: {
      '200':
        '`{ dossier }`; `correct_intake`: `{ dossier, changes, due_explanation, lookup_key, lookup_url }`',
      '404': 'Unknown action or dossier',
      '409':
        'Impossible now, stale version, already claimed; a correction after the day of receipt or the handover',
      ...errors,
    },
  },
  {
    method: 'post',
    path: '/api/v1/postal/deliveries',
    summary:
      'The postal provider reports a result delivered (postal-scope token only): the dossier sent with this tracking code is returned at `delivered_at` (ISO 8601 with its zone); idempotent on the tracking code',
    tag: 'dossiers',
    body: postalDeliverySchema,
    responses: {
      '201':
        '`{ delivery: { tracking_code, dossier_code, status, dispatched_at, delivered_on, returned_at }, replayed: false }`',
      '200': 'Already recorded (by hand or an earlier callback): the same answer, `replayed: true`',
      ...errors,
    },
  },
  {
    method: 'get',
    path: '/api/v1/dossiers/{ref}/notifications',
    summary: 'The dossier’s messages to the citizen and their states, with the consent',
    tag: 'notifications',
    responses: { '200': '`{ consent, notifications }`', ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/notifications/{id}/resend',
    summary: 'Queue a failed message again',
    tag: 'notifications',
    responses: {
      '200': '`{ resent: true }`',
      '404': 'Unknown message',
      '409': 'Not a failed message',
      ...errors,
    },
  },
  {
    method: 'post',
    path: '/api/v1/notifications/receipts/{channel}',
    summary: 'A provider’s delivery receipt (`?token=` the channel’s token)',
    tag: 'notifications',
    open: true,
    body: receiptBody,
    responses: { '200': '`{ updated }`', '404': 'Unknown channel or token', '422': 'Bad receipt' },
  },
  {
    method: 'post',
    path: '/api/v1/dossiers/{ref}/lookup-key',
    summary: 'Issue a new lookup key (the old one stops working)',
    tag: 'dossiers',
    responses: { '200': '`{ lookup_key, lookup_url }`', ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/applicants/lookup',
    summary: 'The newest known details of an applicant by ID number',
    tag: 'dossiers',
    body: applicantBody,
    responses: { '200': '`{ applicant }` (null when unknown)', ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/board',
    summary: 'Today’s board of an office',
    tag: 'dossiers',
    query: boardQuery,
    responses: { '200': 'The board’s lists and late steps', ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/units',
    summary: 'Processing units and their members',
    tag: 'handover',
    responses: { '200': '`{ units }`', ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/worklist',
    summary: 'The caller’s worklists',
    tag: 'handover',
    responses: { '200': '`{ as_of, sections, counts }`', ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/reports/summary',
    summary: 'The report’s figures for a period (supervisors, administrators)',
    tag: 'reports',
    query: summaryQuery,
    responses: {
      '200':
        'Figures per category, procedure, office, officer, with the previous period; `fees` (due, exempt, unpaid, collected per method, online share; per office and procedure) and `digitisation` (components received, digitised, reused; dossiers fully digitised; electronic results; per office and procedure)',
      ...errors,
    },
  },
  ...FILE_OPERATIONS,
  ...SCORECARD_OPERATIONS,
  ...ONLINE_OPERATIONS,
  {
    method: 'get',
    path: '/api/v1/reports/deadlines',
    summary: 'Overdue and due-soon dossiers (supervisors, administrators)',
    tag: 'reports',
    query: deadlinesQuery,
    responses: { '200': '`{ overdue, due_soon }`', ...errors },
  },
  ...QUEUE_OPERATIONS,
  ...PAYMENT_OPERATIONS,
  {
    method: 'get',
    path: '/api/v1/lookup',
    summary: 'The citizen’s status lookup by code and key',
    tag: 'lookup',
    open: true,
    query: lookupQuery,
    responses: {
      '200': '`{ dossier }` (what a public page may show)',
      '404': 'Wrong code or key (the same answer)',
      '429': 'Too many tries',
    },
  },
];

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

export function openApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of API_OPERATIONS) {
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const queryParams = op.query
      ? Object.entries(op.query.shape).map(([name, schema]) => ({
          name,
          in: 'query',
          required: !(schema as z.ZodType).safeParse(undefined).success,
          schema: jsonSchema(schema as z.ZodType),
        }))
      : [];
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      tags: [op.tag],
      ...(op.open ? { security: [] } : {}),
      parameters: [...pathParams, ...queryParams],
      ...(op.body || op.multipart
        ? {
            requestBody: {
              required: true,
              content: {
                ...(op.body ? { 'application/json': { schema: jsonSchema(op.body) } } : {}),
                ...(op.multipart ? { 'multipart/form-data': { schema: op.multipart } } : {}),
              },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(op.responses).map(([status, description]) => [
          status,
          {
            description,
            content:
              op.binary && Number(status) < 400
                ? op.binary
                : {
                    'application/json': {
                      schema:
                        Number(status) >= 400
                          ? { $ref: '#/components/schemas/Error' }
                          : { type: 'object' },
                    },
                  },
          },
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Mot Cua API (motcua)',
      version: '1',
      description:
        'Reception, processing and reporting of administrative-procedure dossiers. Prose: docs/API.md.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token issued by an administrator',
        },
      },
      schemas: {
        Error: jsonSchema(
          z.object({
            error: z.object({
              code: z.string(),
              message: z.string(),
              fields: z.record(z.string(), z.string()).optional(),
            }),
          }),
        ),
      },
    },
    paths,
  };
}
