// The Prometheus text parser lives in @model-canary/report (the controller's `report` command reads /metrics too).
export { diffExpositions, parseExposition, select, sumOf } from '@model-canary/report';
export type { Exposition, LabelFilter, Sample } from '@model-canary/report';
