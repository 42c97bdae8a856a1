import { z } from 'zod';
import type { Operation } from '../openapi.js';
import { deliveryFieldsSchema, deliverySchema } from './delivery.js';

/**
 * The multipart form of a delivery: a `dossier` part with the JSON fields (no `components`), and
 * the files as parts named `components[<document_id>]` (several parts of one name: its files, in
 * order; each part's file name and Content-Type are the file's name and declared type).
 */
function multipartSchema(): Record<string, unknown> {
  const fields = z.toJSONSchema(deliveryFieldsSchema, { io: 'input', unrepresentable: 'any' });
  return {
    type: 'object',
    required: ['dossier'],
    properties: {
      dossier: {
        ...fields,
        description: 'The delivery’s fields as one JSON part (Content-Type application/json)',
      },
    },
    patternProperties: {
      '^components\\[[0-9]+\\]$': {
        type: 'array',
        items: { type: 'string', format: 'binary' },
        description: 'The files of one component, named by its procedure document id',
      },
    },
  };
}

const errors = {
  '401': 'No or a bad token',
  '403': 'Not allowed for this account or token scope',
  '422': 'Bad input: `error.fields` names each field',
};
const decision = z.object({ reason: z.string().min(10).max(1000) });
const notFound = { '404': 'No such entry in the caller’s office' };
const decided = { '409': 'The entry was decided already' };

/** The online inbox's part of the OpenAPI document (src/openapi.ts gathers it). */
export const ONLINE_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/online-dossiers',
    summary:
      'Deliver a dossier submitted online (portal-scope token only): JSON with files as base64, or multipart/form-data streaming the files (a `dossier` JSON part and `components[<document_id>]` file parts); files checked by their bytes; idempotent on portal_code',
    tag: 'online',
    body: deliverySchema,
    multipart: multipartSchema(),
    responses: {
      '201': '`{ online_dossier: { id, portal_code, state, files, … } }`',
      '200': 'The same delivery again: the entry it made',
      '409': 'This portal code was delivered with other content (and no supplement was asked)',
      ...errors,
    },
  },
  {
    method: 'get',
    path: '/api/v1/online-dossiers',
    summary: 'The office’s online inbox (`state=pending`, the default, or `all`)',
    tag: 'online',
    query: z.object({ state: z.enum(['pending', 'all']).optional(), page: z.number().optional() }),
    responses: { '200': '`{ online_dossiers: [...], page, has_next }`', ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/online-dossiers/{id}',
    summary: 'One inbox entry with its files and its sync state with the national portal',
    tag: 'online',
    responses: { '200': '`{ online_dossier, sync }`', ...notFound, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/online-dossiers/{id}/accept',
    summary: 'Accept: a dossier received online, its files attached to its components (counter)',
    tag: 'online',
    responses: {
      '200': '`{ online_dossier, dossier: { id, code } }`',
      ...notFound,
      ...decided,
      ...errors,
    },
  },
  {
    method: 'post',
    path: '/api/v1/online-dossiers/{id}/request-supplement',
    summary: 'Ask for a supplement, with the reason (the portal is told)',
    tag: 'online',
    body: decision,
    responses: { '200': '`{ online_dossier }`', ...notFound, ...decided, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/online-dossiers/{id}/refuse',
    summary: 'Refuse to receive, with the reason (the portal is told)',
    tag: 'online',
    body: decision,
    responses: { '200': '`{ online_dossier }`', ...notFound, ...decided, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/portal-sync/problems',
    summary:
      'Dossiers the national portal is behind on: failing, or a change waiting longer than PORTAL_SYNC_LAG_MINUTES (supervisors, administrators)',
    tag: 'online',
    responses: { '200': '`{ lag_minutes, dossiers: [...] }`', ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/portal-sync/{id}/resend',
    summary: 'Send a failing dossier’s changes at the next pass (supervisors, administrators)',
    tag: 'online',
    responses: { '200': '`{ resent: true }`', '409': 'The dossier is not failing', ...errors },
  },
];
