/**
 * The time-zone list of "My choices" as people know the zones: grouped by region, each with its
 * city, the zone's name in the page's language and its current UTC offset ("Paris — Central
 * European Time (UTC+01:00)"), sorted by offset. Built on the server from `Intl` (no data sent
 * for it beyond the labels), once per language and day, since offsets follow daylight saving.
 * The page's time-zone field renders it from here (`provideTimeZoneOptions`): it reaches the page
 * in its HTML only, not in its loader data.
 */
import { provideTimeZoneOptions } from "~/components/time-zone-field";
import { companyTimeZone } from "~/domain/settings.server";

export interface TimeZoneOption {
  /** The IANA name the form posts. */
  value: string;
  label: string;
}
export interface TimeZoneGroup {
  label: string;
  zones: TimeZoneOption[];
}

/** IANA area → a UN M49 region code `Intl.DisplayNames` names in every language, or a key of ours. */
const AREAS: [area: string, region: string][] = [
  ["Europe", "150"],
  ["Africa", "002"],
  ["America", "019"],
  ["Asia", "142"],
  ["Australia", "009"],
  ["Pacific", "009"],
  ["Atlantic", "atlantic"],
  ["Indian", "indian"],
  ["Antarctica", "AQ"],
  ["Arctic", "arctic"],
];

let known: string[] | undefined;
const cache = new Map<string, { groups: TimeZoneGroup[]; labels: Map<string, string>; html: string }>();

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Minutes east of UTC of `zone` at `at` (ms), from the formatter's "GMT+05:30". */
function offsetMinutes(zone: string, at: number): number {
  const name = new Intl.DateTimeFormat("en", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "";
  const match = /([+-\u2212])(\d\d):(\d\d)/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === "+" ? minutes : -minutes;
}

const offsetText = (minutes: number) => {
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? "\u2212" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
};

/** Every IANA zone this server knows plus `inUse` (the company's, the customer's), sorted: what the form accepts. */
export function timeZoneValues(inUse: readonly (string | null)[]): string[] {
  known ??= [...new Set([...Intl.supportedValuesOf("timeZone"), "UTC"])].sort();
  const extra = inUse.filter((zone): zone is string => Boolean(zone) && !known!.includes(zone!));
  return extra.length ? [...known, ...extra].sort() : known;
}

/**
 * `values` (from timeZoneValues) grouped by region and labelled in `lang`; `regionName(key)`
 * translates the regions Intl has no name for ("atlantic", "indian", "arctic", "other"). `at`
 * (ms) decides the offsets shown. Also returns the label of each zone, for sentences that name
 * the customer's zone.
 */
export function timeZoneGroups(
  lang: string,
  values: readonly string[],
  regionName: (key: "atlantic" | "indian" | "arctic" | "other") => string,
  at = Date.now(),
): { groups: TimeZoneGroup[]; labels: Map<string, string>; html: string } {
  const cacheKey = `${lang}|${Math.floor(at / 86_400_000)}|${values.length === known?.length ? "" : values.join(",")}`;
  let built = cache.get(cacheKey);
  if (!built) {
    const regions = new Intl.DisplayNames(lang, { type: "region", fallback: "code" });
    const collator = new Intl.Collator(lang);
    const byGroup = new Map<string, (TimeZoneOption & { offset: number; city: string })[]>();
    const labels = new Map<string, string>();
    for (const zone of values) {
      const area = zone.split("/")[0]!;
      const region = AREAS.find(([a]) => a === area)?.[1] ?? "other";
      const groupLabel = /^\d{3}$|^[A-Z]{2}$/.test(region) ? (regions.of(region) ?? region) : regionName(region as "atlantic" | "indian" | "arctic" | "other");
      const offset = offsetMinutes(zone, at);
      const city = (zone.split("/").slice(1).reverse().join(", ") || zone).replaceAll("_", " ");
      let generic = "";
      try {
        generic = new Intl.DateTimeFormat(lang, { timeZone: zone, timeZoneName: "longGeneric" }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "";
      } catch {
        generic = "";
      }
      // A generic name that is only an offset ("GMT+03:00") says nothing the offset does not.
      const named = generic && !/\d/.test(generic) ? ` — ${generic}` : "";
      const label = `${city}${named} (${offsetText(offset)})`;
      labels.set(zone, label);
      const list = byGroup.get(groupLabel) ?? [];
      list.push({ value: zone, label, offset, city });
      byGroup.set(groupLabel, list);
    }
    const order = [...new Set(AREAS.map(([, r]) => r)), "other"].map((r) => (/^\d{3}$|^[A-Z]{2}$/.test(r) ? (regions.of(r) ?? r) : regionName(r as "atlantic")));
    const groups = [...byGroup.entries()]
      .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
      .map(([label, zones]) => ({
        label,
        zones: zones.sort((a, b) => a.offset - b.offset || collator.compare(a.city, b.city)).map(({ value, label: text }) => ({ value, label: text })),
      }));
    const html = groups
      .map((g) => `<optgroup label="${escapeHtml(g.label)}">${g.zones.map((z) => `<option value="${escapeHtml(z.value)}">${escapeHtml(z.label)}</option>`).join("")}</optgroup>`)
      .join("");
    built = { groups, labels, html };
    if (cache.size > 64) cache.clear();
    cache.set(cacheKey, built);
  }
  return built;
}

/**
 * The `<option>`s of the time-zone select as HTML, `selected` on `zone`: 400-odd options are
 * rendered once per language and day instead of by React on every request (the page's HTML and
 * its hydration data stay one string each).
 */
export function timeZoneOptionsHtml(built: { html: string }, zone: string): string {
  const option = `<option value="${escapeHtml(zone)}">`;
  return built.html.replace(option, `<option value="${escapeHtml(zone)}" selected="">`);
}

provideTimeZoneOptions((lang, zone, selected, regionName) => {
  const built = timeZoneGroups(lang, timeZoneValues([companyTimeZone(), zone]), regionName);
  return timeZoneOptionsHtml(built, built.labels.has(selected) ? selected : zone);
});
