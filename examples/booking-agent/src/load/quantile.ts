// Bucket quantiles live in @model-canary/report, beside the Prometheus text parser they read.
export { bucketsOf, histogramQuantile } from '@model-canary/report';
export type { Bucket } from '@model-canary/report';
