import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireLogin } from '../http/auth.js';

export function homeRoutes(_ctx: AppContext): Router {
  const router = Router();
  router.get('/', requireLogin, (_req, res) => {
    res.render('home/index', {});
  });
  return router;
}
