// STUB — being written (issue 9, W3).
export default function Confirmation() {
  return null;
}
