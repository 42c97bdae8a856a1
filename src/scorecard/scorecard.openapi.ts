import type { Operation } from '../openapi.js';
import { serviceIndexQuery } from './scorecard.service.js';

/** The service index's part of the OpenAPI document (src/openapi.ts gathers it). */
export const SCORECARD_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/reports/service-index',
    summary:
      'The service-index scorecard (QD 766) of a period, with the period before (supervisors, administrators)',
    tag: 'reports',
    query: serviceIndexQuery,
    responses: {
      '200':
        '`{ scope, generated_at, period, as_of, total, indicators: [{ code, group, name, value, numerator, denominator, points, max_points, measured, … }], previous }`',
      '401': 'No or a bad token',
      '403': 'Not allowed for this account or token scope',
      '422': 'Bad input: `error.fields` names each field',
    },
  },
];
