import { Router as createExpressRouter, type Router } from 'express';
import type { Registry } from 'prom-client';

export function metricsRoutes(registry: Registry): Router {
  return createExpressRouter().get('/metrics', async (_req, res) => {
    const text = await registry.metrics();
    res.setHeader('content-type', registry.contentType);
    res.send(text);
  });
}
