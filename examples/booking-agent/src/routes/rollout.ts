import type { Router as CanaryRouter } from '@model-canary/router';
import { Router as createExpressRouter, type Router } from 'express';

/** The rollout the router is serving now: version, config, and how the last reload went. */
export function rolloutRoutes(router: Pick<CanaryRouter, 'snapshot'>): Router {
  return createExpressRouter().get('/rollout', (_req, res) => {
    const { version, hash, source, loadedAt, config, lastReload } = router.snapshot();
    res.json({ version, hash, source, loadedAt, lastReload, config });
  });
}
