import { z } from 'zod';
import type { Operation } from '../openapi.js';
import { digitisationQuery } from './digitisation-report.service.js';
import { contentQuery, uploadFields } from './files.api.js';

const errors = {
  '401': 'No or a bad token',
  '403': 'Not allowed for this account or token scope',
  '422': 'Bad input: `error.fields` names each field',
};

/** The upload's fields, its `file` field one or more files. */
function multipartSchema(): Record<string, unknown> {
  const json = z.toJSONSchema(uploadFields, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, unknown>;
  };
  json.properties.file = { type: 'array', items: { type: 'string', format: 'binary' } };
  return json;
}
const bytes = { schema: { type: 'string', format: 'binary' } };

/** The files' part of the OpenAPI document (src/http/openapi.ts gathers it). */
export const FILE_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/reports/digitisation',
    summary: 'Digitisation counts per office and procedure (supervisors, administrators)',
    tag: 'reports',
    query: digitisationQuery,
    responses: { '200': '`{ from, to, office, totals, rates, rows }`', ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/dossiers/{ref}/files',
    summary: 'Attach files (PDF, JPEG, PNG) to a component of the dossier, or as its result',
    tag: 'files',
    multipart: multipartSchema(),
    responses: {
      '201': '`{ dossier, component: { component, state, digitisation_code, files, history, … } }`',
      '404': 'No such dossier in the caller’s offices',
      '409': 'The dossier’s state does not allow it (not accepted, anonymised, no result yet)',
      ...errors,
    },
  },
  {
    method: 'get',
    path: '/api/v1/dossiers/{ref}/files',
    summary: 'The dossier’s components and result with their state and files',
    tag: 'files',
    responses: {
      '200': '`{ dossier, components: [...], result, electronic_result }`',
      '404': 'No such dossier in the caller’s offices',
      ...errors,
    },
  },
  {
    method: 'get',
    path: '/api/v1/files/{id}/content',
    summary: 'A file’s bytes, verified against its SHA-256 (each read is logged)',
    tag: 'files',
    query: contentQuery,
    binary: { 'application/pdf': bytes, 'image/jpeg': bytes, 'image/png': bytes },
    responses: {
      '200': 'The bytes, with Content-Disposition, nosniff and a sandboxing CSP',
      '404': 'No such file in the caller’s offices, or deleted by retention (`file_deleted`)',
      '503': 'The stored bytes do not match their checksum (`file_damaged`): never served',
      ...errors,
    },
  },
];
