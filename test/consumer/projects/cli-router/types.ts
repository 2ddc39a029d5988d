// A project that installed only @model-canary/router (npm adds its peer, the SDK): its types check with
// skipLibCheck off (and the DOM lib, which the SDK's own types need for fetch's Headers and Response), so no
// declaration of the router names a package the project does not have.
import { parseRolloutText, type Decision as RouterDecision } from '@model-canary/router';

const parsed = parseRolloutText('{"routes":{"orchestrator":{"arms":[{"name":"control","model":"claude-haiku-4-5"}]}}}');
export const routes: string[] = parsed.ok ? Object.keys(parsed.config.routes) : [];
export type Decision = RouterDecision;
