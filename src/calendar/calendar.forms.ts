import { z } from 'zod';
import { vi } from '../locale/vi.js';
import { field, formSchema, type FormField } from '../validation.js';

const C = vi.admin.calendar;

/** The form that adds a holiday or a make-up Saturday. */
export const calendarDayFields = [
  { name: 'day', label: C.day, type: 'date', required: true, schema: field.date(C.dayRequired) },
  {
    name: 'kind',
    label: C.kind,
    type: 'select',
    options: Object.entries(C.kinds) as [string, string][],
    required: true,
    schema: z.enum(['holiday', 'make_up_workday'], { message: C.kindRequired }),
  },
  {
    name: 'name',
    label: C.name,
    required: true,
    wide: true,
    hint: C.nameHint,
    schema: field.text(2, 100, C.nameRequired),
  },
] as const satisfies readonly FormField[];
export const calendarDaySchema = formSchema(calendarDayFields);
