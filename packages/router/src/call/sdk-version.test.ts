import { VERSION } from '@anthropic-ai/sdk/version';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

describe('the SDK under test', () => {
  it("is the version scripts/version-matrix.sh asks for, else the workspace's own devDependency", () => {
    expect(VERSION).toBe(process.env.MC_EXPECT_SDK_VERSION ?? pkg.devDependencies['@anthropic-ai/sdk']);
  });
});
