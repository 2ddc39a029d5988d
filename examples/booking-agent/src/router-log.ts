import type { Router } from '@model-canary/router';
import type { Logger } from './logging.js';

/**
 * Logs what the router reports about itself: every config event (applied at info; rejected and missing at
 * warn, with each problem's path and message, which never echo the file's values) and every `error` event
 * (an observer that threw, the watcher, an unpriced model, an audit write that failed). Returns the unsubscribe.
 */
export function logRouterEvents(router: Pick<Router, 'on'>, logger: Logger): () => void {
  const log = logger.child({ component: 'router' });
  const offConfig = router.on('config', (event) => {
    const fields = { step: 'config', result: event.result, source: event.source, version: event.version, hashBefore: event.hashBefore, hashAfter: event.hashAfter, changes: event.changes, problems: event.problems };
    if (event.result === 'applied') log.info(fields, `rollout config applied: version ${event.version}`);
    else if (event.result === 'unchanged') log.debug(fields, 'rollout config unchanged');
    else log.warn(fields, `rollout config ${event.result}: still serving version ${event.version}`);
  });
  const offError = router.on('error', (event) => {
    log.error({ step: 'router_error', source: event.source, err: event.error }, `router error (${event.source})`);
  });
  return () => {
    offConfig();
    offError();
  };
}
