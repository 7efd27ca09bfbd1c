import { data } from "react-router";

// Placeholder while this page is being built; replaced before it is committed.
export function loader() {
  throw data(null, { status: 404 });
}

export default function Placeholder() {
  return null;
}
