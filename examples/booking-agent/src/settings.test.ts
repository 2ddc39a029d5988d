import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIT_FILE, DEFAULT_ROLLOUT_FILE, loadSettings, PACKAGE_DIR, SettingsError } from './settings.js';

const SIM = { MODEL_BACKEND: 'simulator' } as const;

describe('loadSettings', () => {
  it('applies every default to an environment that only asks for the simulator', () => {
    expect(loadSettings(SIM)).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      rolloutFile: DEFAULT_ROLLOUT_FILE,
      logLevel: 'info',
      modelBackend: 'simulator',
      anthropicApiKey: undefined,
      simTimeScale: 1,
      specialistConcurrency: 4,
      maxBookingsInFlight: 256,
      auditFile: DEFAULT_AUDIT_FILE,
    });
    expect(DEFAULT_ROLLOUT_FILE).toBe(path.join(PACKAGE_DIR, 'rollout.json'));
    expect(loadSettings({ ...SIM, AUDIT_FILE: 'logs/a.jsonl', MAX_BOOKINGS_IN_FLIGHT: '20' })).toMatchObject({ auditFile: path.join(PACKAGE_DIR, 'logs/a.jsonl'), maxBookingsInFlight: 20 });
  });

  it.each([
    ['an empty environment', {}],
    ['a blank key', { ANTHROPIC_API_KEY: '  ' }],
    ['MODEL_BACKEND=anthropic without a key', { MODEL_BACKEND: 'anthropic' }],
  ])('refuses to start on %s, in one line naming the key and the simulator opt-in (never a silent simulator)', (_case, env) => {
    expect(() => loadSettings(env)).toThrow(SettingsError);
    expect(() => loadSettings(env)).toThrow(/^ANTHROPIC_API_KEY is not set: .*MODEL_BACKEND=simulator[^\n]*$/);
  });

  it('uses the key on the anthropic backend (the default) and ignores it on the simulator', () => {
    expect(loadSettings({ ANTHROPIC_API_KEY: 'sk-ant-x' })).toMatchObject({ modelBackend: 'anthropic', anthropicApiKey: 'sk-ant-x' });
    expect(loadSettings({ ...SIM, ANTHROPIC_API_KEY: 'sk-ant-x' })).toMatchObject({ modelBackend: 'simulator', anthropicApiKey: undefined });
  });

  it('treats empty strings as unset and resolves ROLLOUT_FILE against the package', () => {
    const settings = loadSettings({ ...SIM, PORT: '', ROLLOUT_FILE: 'conf/r.json', SIM_TIME_SCALE: '0.02' });
    expect(settings.port).toBe(3000);
    expect(settings.rolloutFile).toBe(path.join(PACKAGE_DIR, 'conf/r.json'));
    expect(settings.simTimeScale).toBe(0.02);
  });

  it('treats blank values as unset and trims the others, so whitespace never becomes 0 or a key', () => {
    const settings = loadSettings({ ...SIM, PORT: ' ', SHUTDOWN_TIMEOUT_MS: '\t', MODEL_MAX_RETRIES: '  ', SIM_TIME_SCALE: ' ', ANTHROPIC_API_KEY: '   ', HOST: ' ', MAX_TOKENS: ' 512 ' });
    expect(settings).toMatchObject({ port: 3000, shutdownTimeoutMs: 30_000, modelMaxRetries: 2, simTimeScale: 1, anthropicApiKey: undefined, host: '127.0.0.1', maxTokens: 512 });
  });

  it.each([
    [SIM, 60_000],
    [{ ...SIM, SIM_TIME_SCALE: '0.02' }, 1200],
    [{ ...SIM, SIM_TIME_SCALE: '0.001' }, 1000],
    [{ SIM_TIME_SCALE: '0.02', ANTHROPIC_API_KEY: 'sk-ant-x' }, 60_000],
    [{ ...SIM, SIM_TIME_SCALE: '0.02', MODEL_TIMEOUT_MS: '5000' }, 5000],
  ])('scales the default model timeout with the simulator speed: %j -> %i ms', (env, timeout) => {
    expect(loadSettings(env).modelTimeoutMs).toBe(timeout);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['SPECIALIST_CONCURRENCY', '0'],
    ['ANTHROPIC_BASE_URL', 'not a url'],
    ['PORT', '0x50'],
    ['MAX_TOKENS', '1e3'],
    ['MODEL_MAX_RETRIES', '-1'],
    ['SIM_TIME_SCALE', 'Infinity'],
    ['MODEL_BACKEND', 'fake'],
    ['MAX_BOOKINGS_IN_FLIGHT', '0'],
  ])('rejects %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadSettings({ ...SIM, [name]: value })).toThrow(SettingsError);
    expect(() => loadSettings({ ...SIM, [name]: value })).toThrow(new RegExp(`${name}=`));
  });

  it('never prints a key in its message', () => {
    try {
      loadSettings({ ANTHROPIC_API_KEY: 'sk-ant-secret', PORT: 'x' });
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('sk-ant-secret');
    }
  });
});
