import type { TopLevelSpec } from 'vega-lite';

/** A chart of the report: a Vega-Lite spec with inline data, and one sentence on how to read it. */
export interface ChartBlock {
  readonly kind: 'chart';
  /** Unique in the report; the page's `data-chart` attribute (what the browser test looks for). */
  readonly id: string;
  readonly spec: TopLevelSpec;
  readonly caption: string;
  /** The series the chart must show (arm names, guardrail names, …): written on the figure for checks. */
  readonly series: readonly string[];
}

export interface TableBlock {
  readonly kind: 'table';
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Columns aligned right (numbers). */
  readonly numeric?: readonly number[];
  readonly caption?: string;
}

export interface NoteBlock {
  readonly kind: 'note';
  readonly text: string;
}

export type Block = ChartBlock | TableBlock | NoteBlock;

/**
 * One part of the report (the arms of a route, the controller's evidence on a route, a rehearsal). A new kind
 * of evidence (judged quality, the agent cascade) is a new function that returns sections.
 */
export interface Section {
  readonly id: string;
  readonly title: string;
  readonly intro: string;
  readonly blocks: readonly Block[];
}
