/**
 * The server's log: one JSON object per line on stdout (pino), for the operator's log collector.
 * What goes in: an event name, codes, ids, counts, statuses, durations in milliseconds — never
 * secrets (tokens, keys, passwords, connection strings) or free text people typed (concern texts,
 * emails, names): fields that could carry them are redacted, and callers pass error codes and
 * messages, not request bodies. A request path is logged JSON-escaped (control characters cannot
 * forge lines). Level from LOG_LEVEL (default `info`; `silent` turns it off).
 */
import pino from "pino";

export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "candor" },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  redact: {
    paths: ["password", "token", "key", "secret", "authorization", "cookie", "email", "body", "url.password", "*.password", "*.token", "*.secret"],
    censor: "[redacted]",
  },
});

/**
 * What of an error may be logged: its class, code and first message line (drivers put the failing
 * SQL's parameters after it), and the stack only for errors of our own code (`withStack`), never
 * for client input.
 */
export function errorFields(error: unknown, options: { withStack?: boolean } = {}): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: typeof error };
  const cause = (error as { cause?: unknown }).cause;
  const code = (error as { code?: unknown }).code ?? (cause as { code?: unknown } | undefined)?.code;
  return {
    error: error.name,
    ...(code !== undefined ? { code: String(code) } : {}),
    message: error.message.split("\n")[0]!.slice(0, 300),
    ...(options.withStack && error.stack ? { stack: error.stack } : {}),
  };
}
