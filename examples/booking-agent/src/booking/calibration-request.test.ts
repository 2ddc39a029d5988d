import { readFileSync } from 'node:fs';
import { parseCalibrationRequest } from '@model-canary/controller';
import { describe, expect, it } from 'vitest';
import { buildCalibrationRequest } from './calibration-request.js';

const FILE = new URL('../../calibration-request.json', import.meta.url);

describe('calibration-request.json', () => {
  const text = readFileSync(FILE, 'utf8');

  it('is the orchestrator call this service makes (regenerate: pnpm --filter @model-canary/booking-agent calibration-request > calibration-request.json)', () => {
    expect(JSON.parse(text)).toEqual(buildCalibrationRequest());
  });

  it('is a calibration request the controller accepts', () => {
    expect(parseCalibrationRequest(text, 'calibration-request.json').tool.name).toBe('plan_booking');
  });
});
