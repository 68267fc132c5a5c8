// Structured JSON logs. Redaction is a second line of defence: code never passes tokens to the
// logger in the first place.
import pino from "pino";
import { env } from "@/lib/env";
import { singleton } from "@/lib/singleton";
import { traceFields } from "@/lib/tracing/spans";

const redact = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "cookie",
  "*.cookie",
  "*.access_token",
  "*.refresh_token",
  "*.id_token",
  "*.client_secret",
  "*.password",
  "*.secret",
  "*.token",
];

export const log = singleton("log", () =>
  pino({
    level: configuredLevel(),
    base: { service: "gatehouse" },
    redact: { paths: redact, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Inside a traced request every line carries its trace id (nothing while tracing is off).
    mixin: traceFields,
  }),
);

/** A logger for one request; the id also goes back to the client in `x-request-id`. */
export function requestLogger(requestId: string) {
  return log.child({ requestId });
}

// The logger must work even when the configuration is broken: start-up reports that error itself.
function configuredLevel(): string {
  try {
    return env().LOG_LEVEL;
  } catch {
    return "info";
  }
}
