import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace';

/** The OpenTelemetry SDK this process registered: flush and unregister it at shutdown. */
export interface Telemetry {
  shutdown(): Promise<void>;
}

export interface TelemetryOptions {
  readonly spanProcessors: SpanProcessor[];
  readonly serviceName?: string;
}

/**
 * Registers the OpenTelemetry SDK for this process: a tracer provider with `spanProcessors`, the async-local
 * context (so one booking's spans nest across awaits) and the W3C trace-context propagator. The router's spans and
 * the Anthropic SDK's (metadata only: its default content mode) then land in the same trace as the booking's.
 */
export function registerTelemetry({ spanProcessors, serviceName = 'booking-agent' }: TelemetryOptions): Telemetry {
  const provider = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': serviceName }), spanProcessors });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/**
 * The standard variables: with `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) set, spans
 * are exported as OTLP over HTTP (the exporter reads the endpoint, headers and timeout from the environment),
 * batched; `OTEL_SERVICE_NAME` names the service. Without them (or with `OTEL_SDK_DISABLED=true`) nothing is
 * registered and tracing costs nothing.
 */
export function telemetryFromEnv(env: NodeJS.ProcessEnv): Telemetry | null {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint === undefined || endpoint === '' || env.OTEL_SDK_DISABLED === 'true') return null;
  return registerTelemetry({
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
    ...(env.OTEL_SERVICE_NAME === undefined || env.OTEL_SERVICE_NAME === '' ? {} : { serviceName: env.OTEL_SERVICE_NAME }),
  });
}
