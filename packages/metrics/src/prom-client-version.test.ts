import { describe, expect, it } from 'vitest';
import promClient from 'prom-client/package.json' with { type: 'json' };
import pkg from '../package.json' with { type: 'json' };

describe('the prom-client under test', () => {
  it("is the version scripts/version-matrix.sh asks for, else the workspace's own", () => {
    const own = pkg.devDependencies['prom-client'].replace(/^\^/, '');
    expect(promClient.version).toBe(process.env.MC_EXPECT_PROM_CLIENT_VERSION ?? own);
  });
});
