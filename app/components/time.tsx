/** A date formatted on the server (see utils/format.server.ts), with its machine-readable value. */
export function Time({ value }: { value: { iso: string; text: string } }) {
  return <time dateTime={value.iso}>{value.text}</time>;
}
