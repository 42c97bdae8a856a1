import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every route the app registers, as `METHOD /path` (Express 5: the router's layers, nested routers walked). */
function registeredRoutes(stack: Layer[]): string[] {
  const found: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const path of ([] as string[]).concat(layer.route.path)) {
        for (const [method, on] of Object.entries(layer.route.methods))
          if (on && method !== '_all') found.push(`${method.toUpperCase()} ${path}`);
      }
    } else if (layer.handle?.stack) found.push(...registeredRoutes(layer.handle.stack));
  }
  return found;
}

describe('the OpenAPI document', () => {
  it('is served, and documents exactly the API routes the app has', async () => {
    const res = await request(t.app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const documented = Object.entries(res.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      )
      .sort();
    const app = t.app as unknown as { router: { stack: Layer[] } };
    const routes = [
      ...new Set(
        registeredRoutes(app.router.stack).filter((r) => r.split(' ')[1]!.startsWith('/api/v1')),
      ),
    ].sort();
    expect(routes.length).toBeGreaterThan(10);
    expect(documented).toEqual(routes);
  });

  it('takes its request shapes from the schemas the routes parse with', async () => {
    const doc = (await request(t.app).get('/api/v1/openapi.json')).body;
    const intake =
      doc.paths['/api/v1/dossiers'].post.requestBody.content['application/json'].schema;
    for (const field of [
      'procedure_code',
      'applicant_name',
      'personal_id',
      'email',
      'receiving_channel',
      'return_channel',
    ])
      expect(Object.keys(intake.properties)).toContain(field);
    const action = JSON.stringify(
      doc.paths['/api/v1/dossiers/{ref}/actions/{action}'].post.requestBody,
    );
    for (const field of ['version', 'to_unit', 'to_account', 'supplement_what', 'new_due_date'])
      expect(action).toContain(`"${field}"`);
    const summary = doc.paths['/api/v1/reports/summary'].get.parameters.map(
      (p: { name: string; required: boolean }) => `${p.name}:${p.required}`,
    );
    expect(summary).toEqual(['from:true', 'to:true', 'office:false']);
    expect(doc.paths['/api/v1/lookup'].get.security).toEqual([]);
  });
});
