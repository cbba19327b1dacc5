// The pay panels: crowd pay by experience band and by place, and crowd beside official wages. When no
// crowd figure is published for the role, the band and place panels show its official wages (BLS OEWS
// percentiles, nationally and by state) instead, and say so.
import { distribution, figuresTable, money, releaseName } from "./charts.js";

const BANDS = [["ENTRY", "Entry (under 1 y)"], ["EARLY", "Early (1–3 y)"], ["MID", "Mid (4–6 y)"],
  ["EXPERIENCED", "Experienced (7–9 y)"], ["SENIOR", "Senior (10 y +)"]];
const PLACES_SHOWN = 12;
const $ = (selector) => document.querySelector(selector);
const regionNames = new Intl.DisplayNames(["en"], { type: "region" });

export function age(iso) {
  if (!iso) return "not yet computed";
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 90) return `${Math.round(seconds)} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}

function rateSources(slugs) {
  return slugs.split("; ").map((slug) => (slug === "ecb-eurofxref" ? "European Central Bank (ECB) reference rates"
    : `rates supplied by this server's operator: ${slug}`)).join("; ");
}

export function summaryProvenance(rows, currency) {
  const ready = rows.filter((r) => r.status === "READY");
  if (!ready.length) return rows.length ? "Being computed: the figures appear when the worker has run." : "";
  const people = ready.reduce((sum, r) => sum + r.count, 0);
  const newest = ready.map((r) => r.computedAt).sort().at(-1);
  const parts = [`Crowd pay from ${people.toLocaleString("en")} people (careergraph summaries, version ${ready[0].version}, `
    + `served from ${ready[0].source.toLowerCase()}), computed ${age(newest)}.`];
  const conversion = ready.find((r) => r.conversion);
  if (conversion) {
    const c = conversion.conversion;
    const span = c.years.length > 1 ? `${c.years[0]}–${c.years.at(-1)}` : String(c.years[0] ?? "");
    const years = span ? ` for ${span}` : "";
    parts.push(`Converted to ${currency} at each year's average rate${years} (${rateSources(c.rateSource)}).`);
    const undated = ready.reduce((sum, r) => sum + (r.conversion ? r.conversion.unknownYearCount : 0), 0);
    const rateYears = [...new Set(ready.flatMap((r) => (r.conversion ? r.conversion.unknownYearRates : [])))];
    if (undated) parts.push(`${undated.toLocaleString("en")} of them give no year and are converted at `
      + `${rateYears.join(", ")}'s rates.`);
    const left = ready.reduce((sum, r) => sum + (r.conversion ? r.conversion.unconvertibleCount : 0), 0);
    const codes = [...new Set(ready.flatMap((r) => (r.conversion ? r.conversion.unconvertibleCurrencies : [])))];
    if (left) parts.push(`${left} in currencies without a published rate (${codes.join(", ")}) are left out.`);
  }
  if (ready.some((r) => r.stale)) parts.push("Newer observations are being summarised now.");
  if (ready.some((r) => r.heldBack)) {
    parts.push("Some groups have newer submissions waiting for a release: their figures stay those of the last "
      + "release until enough submissions have come that none can be worked out.");
  }
  return parts.join(" ");
}

export function summaryRow(row, key, label) {
  const omitted = Object.fromEntries((row.omittedFigures || []).map((o) => [o.figure, o.reason]));
  return { key, label, count: row.count, p10: row.p10, p25: row.p25, median: row.median, p75: row.p75,
    p90: row.p90, mean: row.mean, withheld: row.withheld, withheldReason: row.withheldReason,
    heldBack: Boolean(row.heldBack), omitted };
}

function published(rows) {
  return rows.some((r) => r.status === "READY" && !r.withheld && r.median !== null);
}

function drawDistribution(section, rows, currency, heading, title) {
  const chart = $(`${section} .chart`);
  chart.replaceChildren(rows.length ? distribution(rows, currency, title) : document.createTextNode(
    "No observations yet, and no official wages for this role's occupations."));
  $(`${section} .table`).replaceChildren(figuresTable(rows, currency, heading));
}

export function officialRow(wage, label) {
  const bound = (figure) => {
    const found = wage.atLeast.find((b) => b.figure === figure);
    return found ? found.atLeast : null;
  };
  const figure = (name) => wage[name] ?? bound(name);
  return { key: label ? wage.area.code : wage.occupation.code, label: label || `OEWS ${wage.occupation.code}`,
    official: true, count: 0, p10: figure("annualP10"), p25: figure("annualP25"), median: figure("annualMedian"),
    p75: figure("annualP75"), p90: figure("annualP90"), mean: wage.annualMean, withheld: false };
}

export function officialSource(wages) {
  const sources = wages.map((w) => `${w.source ? w.source.publisher : "BLS"}, OEWS ${releaseName(w.release)}`
    + `${w.source && w.source.retrieved ? `, retrieved ${w.source.retrieved}` : ""}`);
  return [...new Set(sources)].join("; ");
}

// The occupation that speaks for the role: the one with the most jobs nationally.
export function mainOccupation(national) {
  const sorted = [...national].sort((a, b) => (b.employment ?? 0) - (a.employment ?? 0));
  return sorted.length ? sorted[0].occupation.code : null;
}

function fallbackNote(section, rows, text) {
  const withheld = rows.filter((r) => r.status === "READY").reduce((sum, r) => sum + r.count, 0);
  const crowd = withheld ? ` The crowd's ${withheld.toLocaleString("en")} ${withheld === 1 ? "person is" : "people are"} `
    + "in groups too small to publish." : "";
  $(`${section}`).dataset.fallback = "official";
  $(`${section} .fallback`).textContent = `No crowd figure is published for this role yet.${crowd} ${text}`;
  $(`${section} .fallback`).hidden = false;
}

function crowdShown(section) {
  delete $(section).dataset.fallback;
  $(`${section} .fallback`).hidden = true;
}

export function renderBands(rows, currency, national) {
  if (!published(rows) && national.length) {
    drawDistribution("#pay-bands", national.map((w) => officialRow(w)), "USD", "occupation",
      "Official wages of the role's occupations in US dollars");
    fallbackNote("#pay-bands", rows, "Shown instead: the official wages of its occupations in the United States, "
      + "every experience level together (OEWS has no experience bands), in US dollars.");
    $("#pay-bands .provenance").textContent = `Official: ${officialSource(national)}.`;
    return;
  }
  crowdShown("#pay-bands");
  const byBand = new Map(rows.filter((r) => r.status === "READY").map((r) => [r.experienceBand, r]));
  const shown = BANDS.filter(([band]) => byBand.has(band)).map(([band, label]) => summaryRow(byBand.get(band), band,
    label));
  drawDistribution("#pay-bands", shown, currency, "experience", `Pay by experience band in ${currency}`);
  $("#pay-bands .provenance").textContent = summaryProvenance(rows, currency);
}

function placeLabel(row) {
  if (row.regionCode) return row.regionCode;
  try {
    return regionNames.of(row.country) || row.country;
  } catch (error) {
    return row.country || "unknown";
  }
}

export function renderPlaces(rows, currency, national, states) {
  const code = mainOccupation(national);
  const official = states.filter((w) => w.occupation.code === code && w.area);
  if (!published(rows) && official.length) {
    official.sort((a, b) => (b.employment ?? 0) - (a.employment ?? 0) || a.area.name.localeCompare(b.area.name));
    const shown = official.slice(0, PLACES_SHOWN).map((w) => officialRow(w, w.area.name));
    drawDistribution("#pay-places", shown, "USD", "state", `Official wages of ${code} by state in US dollars`);
    fallbackNote("#pay-places", rows, `Shown instead: the official wages of its main occupation (${code}) in the `
      + `${Math.min(PLACES_SHOWN, official.length)} states with the most jobs, in US dollars; every state is on the map.`);
    $("#pay-places .provenance").textContent = `Official: ${officialSource(official)}.`;
    return;
  }
  crowdShown("#pay-places");
  const ready = rows.filter((r) => r.status === "READY" && (r.country || r.regionCode));
  ready.sort((a, b) => b.count - a.count || placeLabel(a).localeCompare(placeLabel(b)));
  const shown = ready.slice(0, PLACES_SHOWN).map((r) => summaryRow(r, r.regionCode || r.country, placeLabel(r)));
  drawDistribution("#pay-places", shown, currency, "place", `Pay by place in ${currency}`);
  const more = ready.length > PLACES_SHOWN ? ` The ${PLACES_SHOWN} places with most people are shown of `
    + `${ready.length}.` : "";
  $("#pay-places .provenance").textContent = summaryProvenance(rows, currency) + more;
}

export function renderOfficial(data) {
  const crowd = data.crowdUS.find((r) => r.status === "READY");
  const wages = data.officialWages;
  $("#official").hidden = !(wages.length || crowd);
  const rows = [];
  if (crowd) rows.push(summaryRow(crowd, "crowd", "Crowd, US"));
  rows.push(...wages.map((w) => officialRow(w)));
  drawDistribution("#official", rows, "USD", "who", "Crowd pay and official wages in US dollars");
  const comparison = data.payComparison;
  const lines = [];
  if (comparison) {
    if (comparison.crowdWithheld) lines.push("Crowd median in the US: withheld (too few people).");
    else if (comparison.crowdCount) {
      lines.push(`Crowd median in the US: ${money(comparison.crowdMedian, "USD")} from `
        + `${comparison.crowdCount.toLocaleString("en")} people.`);
    }
    for (const o of comparison.official) {
      const median = o.annualMedian !== null ? money(o.annualMedian, "USD") : `at least ${money(o.atLeast, "USD")}`;
      const ratio = o.ratio !== null ? `; the crowd's is ${o.ratio.toFixed(2)}×` : "";
      const verdict = o.diverges ? ", more apart than the samples explain" : "";
      lines.push(`OEWS ${o.occupation}: median ${median} over `
        + `${o.employment !== null ? Math.round(o.employment).toLocaleString("en") : "–"} jobs`
        + `${o.wageRse !== null ? ` (wage RSE ${o.wageRse}%)` : ""}${ratio}${verdict}.`);
    }
    $("#official .note").textContent = comparison.note;
  }
  $("#official .comparison").textContent = lines.join(" ");
  $("#official .provenance").textContent = wages.length
    ? `Official: ${officialSource(wages)}. ${wages.length} occupation(s) for this role.`
    : "No official wages are loaded for this role's occupations.";
}
