/**
 * A date formatted on the server (see utils/format.server.ts), with its machine-readable value and,
 * for a deadline, how far away it is ("in 23 hours", formatRelativeTime) after it.
 */
export function Time({ value }: { value: { iso: string; text: string; relative?: string } }) {
  return (
    <>
      <time dateTime={value.iso}>{value.text}</time>
      {value.relative ? <span className="muted"> ({value.relative})</span> : null}
    </>
  );
}
