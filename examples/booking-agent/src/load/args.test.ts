import { describe, expect, it } from 'vitest';
import { parseLoadArgs, UsageError } from './args.js';

describe('parseLoadArgs', () => {
  it('has defaults for everything', () => {
    expect(parseLoadArgs([])).toEqual({ url: 'http://127.0.0.1:3000', total: 300, concurrency: 16, seed: '1', route: 'orchestrator', json: false, check: false });
  });

  it('reads the documented flags', () => {
    expect(parseLoadArgs(['--url', 'http://10.0.0.1:8080', '-n', '50', '-c', '4', '--seed', 'x', '--json', '--check'])).toMatchObject({
      url: 'http://10.0.0.1:8080',
      total: 50,
      concurrency: 4,
      seed: 'x',
      json: true,
      check: true,
    });
    expect(parseLoadArgs(['--help'])).toBe('help');
  });

  it.each([
    [['-n', 'lots'], /-n:/],
    [['-c', '0'], /-c:/],
    [['--url', 'nowhere'], /--url:/],
    [['--bogus'], /bogus/],
  ])('rejects %j with a usage message', (argv, message) => {
    expect(() => parseLoadArgs(argv)).toThrow(UsageError);
    expect(() => parseLoadArgs(argv)).toThrow(message);
  });
});
