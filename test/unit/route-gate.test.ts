import express, { type Router } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { gated, literalPrefixes } from '../../src/http/route-gate.js';

/** A router that notes every request that walks into it (the gate reads its stack as usual). */
function feature(name: string, build: (r: Router, answer: express.RequestHandler) => void) {
  const inner = express.Router();
  build(inner, (req, res) => {
    res.type('text').send(`${name} ${req.path}`);
  });
  const walked: string[] = [];
  const router = Object.assign(
    (req: express.Request, res: express.Response, next: express.NextFunction) => {
      walked.push(req.path);
      inner(req, res, next);
    },
    { stack: inner.stack },
  ) as unknown as Router;
  return { router, walked };
}

describe('the route gate', () => {
  it('reads the literal start of each route path, or null when any path may be answered', () => {
    const r = express.Router();
    r.get('/ho-so/:code', () => undefined);
    r.post('/api/v1/dossiers', () => undefined);
    r.get(['/Bao-Cao/xuat/tong-hop.:ext', '/quay{/:id}'], () => undefined);
    r.use('/tep', () => undefined);
    expect(literalPrefixes(r)?.sort()).toEqual(
      ['/ho-so/', '/api/v1/dossiers', '/bao-cao/xuat/tong-hop.', '/quay', '/tep'].sort(),
    );
    const withMiddleware = express.Router();
    withMiddleware.use((_req, _res, next) => next());
    withMiddleware.get('/x', () => undefined);
    expect(literalPrefixes(withMiddleware)).toBeNull();
    const withParamFirst = express.Router();
    withParamFirst.get('/:anything', () => undefined);
    expect(literalPrefixes(withParamFirst)).toBeNull();
    const withRegExp = express.Router();
    withRegExp.get(/^\/a/, () => undefined);
    expect(literalPrefixes(withRegExp)).toBeNull();
  });

  it('skips a router none of whose routes can match, and answers as Express would otherwise', async () => {
    const pages = feature('pages', (r, answer) => {
      r.get('/ho-so/:code', answer);
    });
    const api = feature('api', (r, answer) => {
      r.post('/api/v1/dossiers', answer);
      r.get('/api/v1/dossiers/:code', answer);
    });
    const app = express();
    app.use(gated(pages.router));
    app.use(gated(api.router));
    app.use((_req, res) => res.status(404).send('none'));

    expect((await request(app).post('/api/v1/dossiers')).text).toBe('api /api/v1/dossiers');
    expect((await request(app).get('/ho-so/ABC')).text).toBe('pages /ho-so/ABC');
    // Express matches paths case-insensitively and with or without a trailing slash; so does the gate.
    expect((await request(app).get('/HO-SO/abc')).text).toBe('pages /HO-SO/abc');
    expect((await request(app).get('/api/v1/dossiers/X1/')).text).toBe('api /api/v1/dossiers/X1/');
    expect((await request(app).get('/khac')).status).toBe(404);
    // Only the requests that could match walked into each router.
    expect(pages.walked).toEqual(['/ho-so/ABC', '/HO-SO/abc']);
    expect(api.walked).toEqual(['/api/v1/dossiers', '/api/v1/dossiers/X1/']);
  });

  it('never skips a router with a middleware of its own', async () => {
    const guarded = express.Router();
    guarded.use((_req, res) => res.status(401).send('sign in'));
    guarded.get('/ho-so/:code', (_req, res) => res.send('never'));
    const app = express();
    app.use(gated(guarded));
    app.use((_req, res) => res.status(404).send('none'));
    const answer = await request(app).get('/anything/else');
    expect(answer.status).toBe(401);
  });
});
