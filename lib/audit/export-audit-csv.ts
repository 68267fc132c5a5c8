// The audit log as CSV (RFC 4180), streamed page by page so a large export never sits in memory.
import { findAuditEvents, type AuditEventRow, type AuditFilter } from "@/lib/audit/find-audit-events";

const PAGE = 500;
/** A cap, so one click cannot ask the database for millions of rows; narrow the filter for more. */
export const MAX_EXPORT_ROWS = 100_000;
// user_issuer: a username is only unique together with the issuer that vouches for it.
const COLUMNS = [
  "at",
  "user",
  "user_issuer",
  "user_id",
  "client_id",
  "action",
  "outcome",
  "backend",
  "provider",
  "tool",
  "latency_ms",
  "detail",
];

/** One CSV field. Text that a spreadsheet would run as a formula (=, +, -, @) is prefixed with '. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s =
    typeof value === "string"
      ? value
      : value instanceof Date
        ? value.toISOString()
        : typeof value === "object"
          ? JSON.stringify(value)
          : String(value);
  if (/^[=+\-@\t\r]/.test(s) && typeof value !== "number") s = `'${s}`;
  return /[",\r\n']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLine(e: AuditEventRow): string {
  const user = e.user?.username ?? e.user?.email ?? "";
  return (
    [e.at, user, e.user?.issuer, e.user?.id, e.clientId, e.action, e.outcome, e.backend, e.provider, e.tool, e.latencyMs, e.detail]
      .map(csvField)
      .join(",") + "\r\n"
  );
}

/** The events matching `filter`, newest first, as a stream of CSV text with a header line. */
export function exportAuditCsv(filter: Omit<AuditFilter, "cursor" | "take">): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let written = 0;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(COLUMNS.join(",") + "\r\n"));
        return;
      }
      const { events, nextCursor } = await findAuditEvents({ ...filter, cursor, take: Math.min(PAGE, MAX_EXPORT_ROWS - written) });
      if (events.length) controller.enqueue(encoder.encode(events.map(csvLine).join("")));
      written += events.length;
      cursor = nextCursor;
      if (!cursor || written >= MAX_EXPORT_ROWS) controller.close();
    },
  });
}
