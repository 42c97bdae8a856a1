import type { Operation } from '../openapi.js';
import { checkInInputSchema } from './check-in.service.js';
import { transferInputSchema } from './counter.service.js';
import { ticketInputSchema } from './tickets.service.js';

/** The queue's operations in the OpenAPI document (prose: docs/API.md "Queue"). */
const errors = {
  '401': 'No or a bad token',
  '403': 'Not allowed for this account or token scope',
  '422': 'Bad input: `error.fields` names each field',
};

export const QUEUE_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/queue/tickets',
    summary: 'Take a queue number (kiosk token, or staff)',
    tag: 'queue',
    body: ticketInputSchema,
    responses: {
      '201': '`{ ticket: { id, number, people_ahead, estimated_wait_minutes, follow_url, … } }`',
      '404': 'Unknown office',
      ...errors,
    },
  },
  {
    method: 'post',
    path: '/api/v1/queue/check-in',
    summary: 'An appointment arrives (booking code or ID number): it becomes a ticket',
    tag: 'queue',
    body: checkInInputSchema,
    responses: { '201': '`{ ticket }`', '409': 'Checked in already', ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/queue/{office}',
    summary: 'An office’s queue: last calls, waiting numbers per group, counters',
    tag: 'queue',
    responses: {
      '200': '`{ office, calls, groups, waiting, counters }`',
      '404': 'Unknown office',
      ...errors,
    },
  },
  ...(['call-next', 'recall', 'skip', 'start', 'finish'] as const).map((action) => ({
    method: 'post' as const,
    path: `/api/v1/queue/counters/{counter}/${action}`,
    tag: 'queue',
    summary: {
      'call-next': 'Call the next number (appointments whose slot began, priority, then arrival)',
      recall: 'Call the current number again',
      skip: 'The called citizen is absent (no-show)',
      start: 'Start serving the called number',
      finish: 'Finish the current number',
    }[action],
    responses: {
      '200': '`{ ticket }`',
      '409': action === 'call-next' ? 'Nobody waiting (`queue_empty`)' : 'No current number',
      ...errors,
      '403': 'The caller is not seated at this counter (or a kiosk token)',
    },
  })),
  {
    method: 'post',
    path: '/api/v1/queue/tickets/{id}/transfer',
    summary: 'Send a ticket to another service group, keeping its place in time',
    tag: 'queue',
    body: transferInputSchema,
    responses: {
      '200': '`{ ticket }`',
      '404': 'Unknown ticket',
      '409': 'The ticket’s turn is over',
      ...errors,
    },
  },
];
