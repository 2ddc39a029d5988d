import { Router as createExpressRouter, type Router } from 'express';

export function healthRoutes(state: { draining(): boolean; inFlight(): number; backend: string }): Router {
  return createExpressRouter().get('/healthz', (_req, res) => {
    const draining = state.draining();
    res.status(draining ? 503 : 200).json({ status: draining ? 'draining' : 'ok', backend: state.backend, inFlight: state.inFlight() });
  });
}
