import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/** Every query goes to the data source the viewer picks in the `datasource` variable. */
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;
const R = '{route="$route"}';
const RI = '[$__rate_interval]';

/** `sum by (arm) (rate(<metric>{route="$route",<extra>}[$__rate_interval]))` */
function armRate(metric: string, extra = '', by = 'arm'): string {
  const selector = extra === '' ? R : `{route="$route",${extra}}`;
  return `sum by (${by}) (rate(${metric}${selector}${RI}))`;
}

function query(refId: string, expr: string, legend: string): DataqueryBuilder {
  return new DataqueryBuilder().datasource(DATASOURCE).refId(refId).expr(expr).legendFormat(legend);
}

function timeseries(title: string, description: string, unit: string, targets: DataqueryBuilder[]): TimeseriesPanelBuilder {
  return new TimeseriesPanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .unit(unit)
    .height(8)
    .span(12)
    .targets(targets);
}

function latencyPanel(title: string, description: string, histogram: string, extra: string): TimeseriesPanelBuilder {
  const selector = extra === '' ? R : `{route="$route",${extra}}`;
  const quantile = (q: string) => `histogram_quantile(${q}, sum by (arm, le) (rate(${histogram}_bucket${selector}${RI})))`;
  return timeseries(title, description, 's', [
    query('A', quantile('0.5'), '{{arm}} p50'),
    query('B', quantile('0.95'), '{{arm}} p95'),
    query('C', quantile('0.99'), '{{arm}} p99'),
  ]);
}

/**
 * What the split is counted in, as in the SRM recording rules: units (bookings) per arm as they get their arm
 * (`unit_assignments_total`) when the route has units assigned in the interval, else `split` decisions (keyless
 * traffic). Keyed calls of one unit share its arm, so a per-call share would weigh arms by how many calls their
 * bookings make; units counted when they end would lag on the slower arm and across a percent change.
 */
const routeHasUnits = `on () (sum(rate(model_canary_unit_assignments_total${R}${RI})) > 0)`;
const splitCounts =
  `(${armRate('model_canary_unit_assignments_total')} and ${routeHasUnits}) or ` +
  `(${armRate('model_canary_decisions_total', 'reason="split"')} unless ${routeHasUnits})`;

const costPerCall = `${armRate('model_canary_cost_usd_total')} / ${armRate('model_canary_requests_total')}`;

/** A cascade counter per booking: summed by (arm, agent_route) over the route's units of each arm. */
const perBooking = (metric: string): string =>
  `${armRate(metric, '', 'arm, agent_route')} / on (arm) group_left () ${armRate('model_canary_units_total')}`;

/** The dashboard as typed code; `pnpm --filter @model-canary/metrics generate` writes it to dashboards/model-canary.json. */
export function buildModelCanaryDashboard(): cog.Builder<Dashboard> {
  return new DashboardBuilder('Model canary')
    .uid('model-canary')
    .description('The arms of a model rollout side by side: traffic split, success, latency, tokens and cost (@model-canary/metrics).')
    .tags(['model-canary', 'llm'])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh('30s')
    .time({ from: 'now-3h', to: 'now' })
    .timezone('browser')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'))
    .withVariable(
      new QueryVariableBuilder('route')
        .label('Route')
        .datasource(DATASOURCE)
        .query('label_values(model_canary_arm_percent, route)')
        .definition('label_values(model_canary_arm_percent, route)')
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc),
    )
    .annotation(
      new AnnotationQueryBuilder()
        .name('Config applied')
        .datasource(DATASOURCE)
        .enable(true)
        .iconColor('blue')
        .expr('sum(increase(model_canary_config_reloads_total{result="applied"}[1m])) > 0')
        .titleFormat('Rollout config applied')
        .step('60s'),
    )
    .annotation(
      new AnnotationQueryBuilder()
        .name('Config rejected')
        .datasource(DATASOURCE)
        .enable(true)
        .iconColor('red')
        .expr('sum(increase(model_canary_config_reloads_total{result=~"rejected|missing"}[1m])) > 0')
        .titleFormat('Rollout config rejected or missing')
        .step('60s'),
    )
    .withRow(new RowBuilder('Traffic and split'))
    .withPanel(
      timeseries('Request rate per arm', 'Model calls per second, by the arm they were assigned.', 'reqps', [
        query('A', armRate('model_canary_requests_total'), '{{arm}}'),
      ]),
    )
    .withPanel(
      timeseries(
        'Observed split against configured percent',
        'Share of units (bookings) per arm as they were assigned (their first call on the route), or of split decisions on a route without units ("observed"), against model_canary_arm_percent ("configured"). A lasting gap is a sample-ratio mismatch.',
        'percent',
        [
          query('A', `100 * (${splitCounts}) / on () group_left () sum(${splitCounts})`, '{{arm}} observed'),
          query('B', `max by (arm) (model_canary_arm_percent${R})`, '{{arm}} configured'),
        ],
      ),
    )
    .withPanel(
      new StatPanelBuilder()
        .title('Configured percent now')
        .description('What the serving rollout config gives each arm (the default arm takes the rest).')
        .datasource(DATASOURCE)
        .unit('percent')
        .height(6)
        .span(12)
        .withTarget(query('A', `max by (arm) (model_canary_arm_percent${R})`, '{{arm}}').instant()),
    )
    .withPanel(
      timeseries('Sample-ratio mismatch (chi-square, 30 min)', 'From the recording rules, on units per arm as assigned (split decisions on a route without units): the alert fires above the critical value (p < 0.001).', 'none', [
        query('A', `model_canary:srm_chi_square:30m${R}`, 'chi-square'),
        query('B', `model_canary:srm_chi_square_critical:p001${R}`, 'critical value'),
      ]).height(6),
    )
    .withRow(new RowBuilder('Success'))
    .withPanel(
      timeseries('Call success rate per arm', 'Calls with outcome success over all calls the application did not cancel (a fallback counts as a failure of its arm).', 'percentunit', [
        query('A', `${armRate('model_canary_requests_total', 'outcome="success"')} / ${armRate('model_canary_requests_total', 'outcome!="cancelled"')}`, '{{arm}}'),
      ]),
    )
    .withPanel(
      timeseries('Booking success rate per arm', 'Units (bookings) ended with outcome success over all units ended, by the arm this route gave them.', 'percentunit', [
        query('A', `${armRate('model_canary_units_total', 'outcome="success"')} / ${armRate('model_canary_units_total')}`, '{{arm}}'),
      ]),
    )
    .withPanel(
      timeseries(
        'Bookings on two arms (left out of the comparison)',
        "Units whose calls on this route landed on two arms (a reload mid-booking), by outcome. They are in no arm's booking success rate or cost.",
        'short',
        [query('A', `sum by (outcome) (increase(model_canary_unit_mixed_arms_total${R}${RI}))`, '{{outcome}}')],
      ).height(6),
    )
    .withPanel(
      timeseries('Error classes per arm', 'Calls that ended with an error class, after retries.', 'reqps', [
        query('A', armRate('model_canary_request_errors_total', '', 'arm, error_class'), '{{arm}} {{error_class}}'),
      ]),
    )
    .withPanel(
      timeseries('Fallbacks and retried attempts per arm', 'Canary calls served by the control model, and failed attempts (each one retried or final).', 'reqps', [
        // A fallback series exists only on canary arms of a route with fallback: the others read 0.
        query('A', `${armRate('model_canary_requests_total', 'outcome="fallback"')} or 0 * ${armRate('model_canary_requests_total')}`, '{{arm}} fallbacks'),
        query('B', armRate('model_canary_attempts_total', 'error_class!="none"', 'arm, origin'), '{{arm}} failed {{origin}} attempts'),
      ]),
    )
    .withRow(new RowBuilder('Latency'))
    .withPanel(latencyPanel('Latency of successful calls', 'p50 / p95 / p99 of the whole call, retries included.', 'model_canary_request_duration_seconds', 'outcome="success"'))
    .withPanel(latencyPanel('Time to first token', 'p50 / p95 / p99 for streamed calls.', 'model_canary_time_to_first_token_seconds', ''))
    .withRow(new RowBuilder('Tokens and cost'))
    .withPanel(
      timeseries('Tokens by type per arm', 'Billed tokens per second (fallback attempts included under the canary arm).', 'short', [
        query('A', armRate('model_canary_tokens_total', '', 'arm, type'), '{{arm}} {{type}}'),
      ]),
    )
    .withPanel(
      timeseries('Cost per call', 'USD per call, fallback attempts included, from the config price table.', 'currencyUSD', [
        query('A', costPerCall, '{{arm}}'),
      ]),
    )
    .withPanel(
      timeseries('Cost per booking', 'Mean total USD per unit (every call of the booking, every route), by the arm this route gave it.', 'currencyUSD', [
        query('A', `${armRate('model_canary_unit_cost_usd_sum')} / ${armRate('model_canary_unit_cost_usd_count')}`, '{{arm}} mean'),
        query('B', `histogram_quantile(0.95, sum by (arm, le) (rate(model_canary_unit_cost_usd_bucket${R}${RI})))`, '{{arm}} p95'),
      ]),
    )
    .withPanel(
      timeseries(
        'Projected daily cost at 100% on each arm',
        "This route's whole call rate priced at each arm's cost per call, for a day: what promoting (or rolling back) would cost.",
        'currencyUSD',
        [query('A', `86400 * (${costPerCall}) * scalar(sum(rate(model_canary_requests_total${R}${RI})))`, '{{arm}} at 100%')],
      ),
    )
    .withRow(new RowBuilder('Cascade (agent routes per arm of this route)'))
    .withPanel(
      timeseries(
        'Cost per booking by agent route',
        "Mean USD per unit (booking) spent on each agent route (orchestrator, specialist, verifier…), by the arm this route gave the booking: how this route's model moves the cost of the calls after it.",
        'currencyUSD',
        [query('A', perBooking('model_canary_unit_agent_cost_usd_total'), '{{arm}} {{agent_route}}')],
      ),
    )
    .withPanel(
      timeseries('Calls per booking by agent route', 'Mean calls per unit (booking) on each agent route, by the arm this route gave the booking (more subtasks, more verification).', 'short', [
        query('A', perBooking('model_canary_unit_agent_calls_total'), '{{arm}} {{agent_route}}'),
      ]),
    )
    .withPanel(
      timeseries('Call success by agent route', "Each agent route's calls with outcome success over those not cancelled, by the arm this route gave the booking.", 'percentunit', [
        query(
          'A',
          `${armRate('model_canary_unit_agent_calls_total', 'outcome="success"', 'arm, agent_route')} / ${armRate('model_canary_unit_agent_calls_total', 'outcome!="cancelled"', 'arm, agent_route')}`,
          '{{arm}} {{agent_route}}',
        ),
      ]),
    )
    .withRow(new RowBuilder('Rollout controller'))
    .withPanel(
      timeseries('Ramp step', "The canary percent the rollout controller holds the route at, and the step's index in the ramp (-1 off plan or at 0%). Empty without a controller.", 'none', [
        query('A', `max(model_canary_ramp_step${R})`, 'step (%)'),
        query('B', `max(model_canary_ramp_step_index${R})`, 'step index'),
      ]).height(6),
    )
    .withPanel(
      timeseries('Controller decisions', 'Decisions of the controller at each look: advance, hold (not enough evidence) or rollback.', 'short', [
        query('A', `sum by (decision) (increase(model_canary_ramp_decisions_total${R}${RI}))`, '{{decision}}'),
      ]).height(6),
    )
    .withPanel(
      timeseries('Guardrail verdicts', 'Per guardrail at the last look: 1 pass, 0 inconclusive, -1 fail.', 'none', [
        query('A', `max by (guardrail) (model_canary_ramp_guardrail_verdict${R})`, '{{guardrail}}'),
      ]).height(6),
    )
    .withPanel(
      timeseries(
        'Guardrail evidence',
        "Per guardrail at the last look: the estimate, its confidence-sequence interval and the threshold it is held to (each guardrail in its own unit), and the p-value. The controller's audit trail has the full record.",
        'none',
        [
          query('A', `max by (guardrail, stat) (model_canary_ramp_guardrail{route="$route",stat!="p_value"})`, '{{guardrail}} {{stat}}'),
          query('B', `max by (guardrail) (model_canary_ramp_guardrail{route="$route",stat="p_value"})`, '{{guardrail}} p-value'),
        ],
      ),
    )
    .withPanel(
      timeseries('Extra spend and mixed bookings', 'USD the canary cost over what control would have for the same bookings (against the ramp budget), and the bookings the controller left out because their calls landed on two arms.', 'none', [
        query('A', `max(model_canary_ramp_extra_usd${R})`, 'extra USD'),
        query('B', `max(model_canary_ramp_mixed_bookings${R})`, 'mixed bookings'),
      ]),
    )
    .withRow(new RowBuilder('Shadow and judge'))
    .withPanel(
      timeseries(
        'Candidate win rate (judged, last hour)',
        'Share of judged shadow calls the shadow (candidate) model won against the served answer, ties as halves, judge errors left out, with its 95% interval. 0.5 = as good. A view only: the rollout controller\'s sequential test decides.',
        'percentunit',
        [
          query('A', `model_canary:judge_win_rate:ratio1h${R}`, '{{shadow_model}} win rate'),
          query('B', `model_canary:judge_win_rate:ratio1h${R} - model_canary:judge_win_rate_halfwidth:ratio1h${R}`, '{{shadow_model}} low'),
          query('C', `model_canary:judge_win_rate:ratio1h${R} + model_canary:judge_win_rate_halfwidth:ratio1h${R}`, '{{shadow_model}} high'),
        ],
      ),
    )
    .withPanel(
      timeseries('Shadow and judge spend', 'USD per second on shadow calls and on the judge; the shadow budget is per process (shadow_spent_usd against shadow_budget_usd).', 'currencyUSD', [
        query('A', `sum by (shadow_model) (rate(model_canary_shadow_cost_usd_total${R}${RI}))`, 'shadow {{shadow_model}}'),
        query('B', `sum by (judge_model) (rate(model_canary_judge_cost_usd_total${R}${RI}))`, 'judge {{judge_model}}'),
        query('C', `sum by (shadow_model) (model_canary_shadow_spent_usd${R})`, 'spent so far {{shadow_model}}'),
      ]),
    )
    .withPanel(
      timeseries('Shadow calls and skips', 'Shadow calls by outcome and sampled calls not mirrored, by reason.', 'reqps', [
        query('A', `sum by (outcome) (rate(model_canary_shadow_calls_total${R}${RI}))`, '{{outcome}}'),
        query('B', `sum by (reason) (rate(model_canary_shadow_skips_total${R}${RI}))`, 'skipped: {{reason}}'),
      ]),
    )
    .withPanel(
      timeseries('Verdicts', 'Judge verdicts per second: candidate_better, served_better, tie, judge_error.', 'reqps', [
        query('A', `sum by (verdict) (rate(model_canary_judgements_total${R}${RI}))`, '{{verdict}}'),
      ]),
    )
    .withRow(new RowBuilder('Config'))
    .withPanel(
      timeseries('Config reloads', 'Reload attempts of the rollout file by result (every replica).', 'short', [
        query('A', `sum by (result) (increase(model_canary_config_reloads_total${RI}))`, '{{result}}'),
      ]).height(6),
    )
    .withPanel(
      new StatPanelBuilder()
        .title('Last reload successful (all replicas)')
        .description('0 when any replica rejected its last reload or misses its file; it keeps serving its last good config.')
        .datasource(DATASOURCE)
        .height(6)
        .span(6)
        .withTarget(query('A', 'min(model_canary_config_last_reload_successful)', 'successful').instant()),
    )
    .withPanel(
      new StatPanelBuilder()
        .title('Config version (min / max over replicas)')
        .description('Replicas that disagree are on different rollout configs.')
        .datasource(DATASOURCE)
        .height(6)
        .span(6)
        .withTarget(query('A', 'min(model_canary_config_version)', 'min').instant())
        .withTarget(query('B', 'max(model_canary_config_version)', 'max').instant()),
    );
}
