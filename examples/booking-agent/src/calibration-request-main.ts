import { buildCalibrationRequest } from './booking/calibration-request.js';

process.stdout.write(`${JSON.stringify(buildCalibrationRequest(), null, 2)}\n`);
