import { data } from "react-router";

// Placeholder while this export is being built; replaced before it is committed.
export function loader() {
  throw data(null, { status: 404 });
}
