import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseRolloutText } from '@model-canary/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { makeTempDir, removeTempDir } from './harness/index.js';
import { exampleRolloutFile, metricsRuleFiles } from './support/package-assets.js';

// The deployment kit under deploy/, checked by the tools that will read it: promtool for the Prometheus configs,
// systemd-analyze for the units (scripts/ensure-tools.sh installs both), and the manifests' structure.
const exec = promisify(execFile);
const DEPLOY = join(dirname(fileURLToPath(import.meta.url)), '..', 'deploy');

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}
type Container = { name: string; args?: string[]; command?: string[]; env?: { name: string; value?: string }[]; volumeMounts?: { name: string; mountPath: string; subPath?: string }[]; readinessProbe?: unknown; livenessProbe?: unknown };
type PodSpec = { containers: Container[]; initContainers?: Container[]; volumes: { name: string; configMap?: { name: string }; persistentVolumeClaim?: { claimName: string } }[] };

async function manifests(): Promise<Manifest[]> {
  const dir = join(DEPLOY, 'kubernetes');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
  const docs = await Promise.all(files.map(async (f) => parseAllDocuments(await readFile(join(dir, f), 'utf8')).map((d) => d.toJSON() as Manifest)));
  return docs.flat();
}
const find = (all: Manifest[], kind: string, name: string): Manifest => {
  const found = all.find((m) => m.kind === kind && m.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} in deploy/kubernetes`);
  return found;
};
const podSpec = (deployment: Manifest): PodSpec => (deployment.spec as { template: { spec: PodSpec } }).template.spec;

describe('deploy/prometheus', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('deploy-prometheus');
    // The layout the config's comment asks for: the metrics package's rules copied under rules/.
    await mkdir(join(dir, 'rules'));
    for (const file of metricsRuleFiles()) await copyFile(file, join(dir, 'rules', basename(file)));
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it.each(['prometheus.yml', 'prometheus-kubernetes.yml'])('%s passes promtool check config and loads every shipped rule file', async (name) => {
    await copyFile(join(DEPLOY, 'prometheus', name), join(dir, name));
    const { stdout, stderr } = await exec('promtool', ['check', 'config', name], { cwd: dir });
    expect(`${stdout}${stderr}`).toContain(`SUCCESS: ${metricsRuleFiles().length} rule files found`);
    expect(`${stdout}${stderr}`).not.toMatch(/FAILED|WARNING/);
  });

  it('scrapes the service on the port the systemd unit gives it, and the controller on its --metrics-port', async () => {
    const config = await readFile(join(DEPLOY, 'prometheus', 'prometheus.yml'), 'utf8');
    const units = `${await readFile(join(DEPLOY, 'systemd', 'booking-agent.service'), 'utf8')}${await readFile(join(DEPLOY, 'systemd', 'model-canary-ramp.service'), 'utf8')}`;
    expect(units).toMatch(/HOST=127\.0\.0\.1 PORT=3000/);
    expect(config).toContain("targets: ['127.0.0.1:3000']");
    expect(units).toContain('--metrics-port 9464');
    expect(config).toContain("targets: ['127.0.0.1:9464']");
  });
});

describe('deploy/systemd', () => {
  it('passes systemd-analyze verify with nothing to say', async () => {
    const units = (await readdir(join(DEPLOY, 'systemd'))).filter((f) => f.endsWith('.service')).map((f) => `./${f}`);
    expect(units).toEqual(['./booking-agent.service', './model-canary-ramp.service']);
    const { stdout, stderr } = await exec('systemd-analyze', ['verify', ...units], { cwd: join(DEPLOY, 'systemd') });
    expect(`${stdout}${stderr}`).toBe('');
  });

  it('sizes LimitNOFILE for many concurrent agent calls and shares the rollout file with the controller', async () => {
    const service = await readFile(join(DEPLOY, 'systemd', 'booking-agent.service'), 'utf8');
    const ramp = await readFile(join(DEPLOY, 'systemd', 'model-canary-ramp.service'), 'utf8');
    expect(Number(/^LimitNOFILE=(\d+)$/m.exec(service)?.[1])).toBeGreaterThanOrEqual(65_536);
    expect(service).toContain('ROLLOUT_FILE=/var/lib/model-canary/rollout.json');
    expect(ramp).toContain('ramp --config /var/lib/model-canary/rollout.json');
  });
});

describe('deploy/kubernetes', () => {
  let all: Manifest[];
  beforeAll(async () => {
    all = await manifests();
  });

  it("the ConfigMap's rollout.json is the example's, and valid", async () => {
    const text = find(all, 'ConfigMap', 'booking-agent-rollout').data?.['rollout.json'] ?? '';
    expect(parseRolloutText(text)).toMatchObject({ ok: true });
    expect(JSON.parse(text)).toEqual(JSON.parse(await readFile(exampleRolloutFile(), 'utf8')));
  });

  it('the service reads rollout.json from the ConfigMap mounted as a directory (a subPath mount never updates), probed on /healthz', () => {
    const pod = podSpec(find(all, 'Deployment', 'booking-agent'));
    const [container] = pod.containers;
    const volume = pod.volumes.find((v) => v.configMap?.name === 'booking-agent-rollout');
    const mount = container?.volumeMounts?.find((m) => m.name === volume?.name);
    expect(mount).toBeDefined();
    expect(mount?.subPath).toBeUndefined();
    expect(container?.env).toContainEqual({ name: 'ROLLOUT_FILE', value: `${mount?.mountPath}/rollout.json` });
    for (const probe of [container?.readinessProbe, container?.livenessProbe]) expect(probe).toMatchObject({ httpGet: { path: '/healthz' } });
    expect(find(all, 'Service', 'booking-agent').spec).toMatchObject({ selector: { 'app.kubernetes.io/name': 'booking-agent' } });
  });

  it("Prometheus scrapes each replica through a headless Service, and the controller through its Service's port", async () => {
    const config = await readFile(join(DEPLOY, 'prometheus', 'prometheus-kubernetes.yml'), 'utf8');
    expect(find(all, 'Service', 'booking-agent-metrics').spec).toMatchObject({ clusterIP: 'None', ports: [{ port: 3000 }] });
    expect(config).toContain('names: [booking-agent-metrics.booking.svc.cluster.local]');
    expect(find(all, 'Service', 'model-canary-controller').spec).toMatchObject({ ports: [{ port: 9464 }] });
    expect(config).toContain("targets: ['model-canary-controller.booking.svc.cluster.local:9464']");
    const controller = podSpec(find(all, 'Deployment', 'model-canary-controller')).containers.find((c) => c.name === 'controller');
    expect(controller?.args).toEqual(expect.arrayContaining(['--metrics-port=9464', '--metrics-host=0.0.0.0']));
  });

  it('the controller is one replica, never two at once, with its lock and audit trail on a persistent volume', () => {
    const deployment = find(all, 'Deployment', 'model-canary-controller');
    expect(deployment.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    const pod = podSpec(deployment);
    const controller = pod.containers.find((c) => c.name === 'controller');
    const state = pod.volumes.find((v) => v.persistentVolumeClaim !== undefined);
    const statePath = controller?.volumeMounts?.find((m) => m.name === state?.name)?.mountPath;
    expect(statePath).toBeDefined();
    expect(controller?.args?.[0]).toBe('ramp');
    for (const flag of ['--config', '--lock-file', '--audit-file']) {
      expect(controller?.args?.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1).startsWith(`${statePath}/`)).toBe(true);
    }
    find(all, 'PersistentVolumeClaim', state?.persistentVolumeClaim?.claimName ?? '');
  });
});
