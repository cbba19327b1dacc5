// Distributions as plain SVG: one row (a mark) per group, p10-p90 whisker, p25-p75 box, median line.
// A withheld group is drawn as words and its count, never as numbers; a group too small for p10 and
// p90 is drawn without the whisker and says why. Each mark carries its figures
// in data- attributes and an aria-label, so people and tests read the same thing.
const NS = "http://www.w3.org/2000/svg";
const WIDTH = 640;
const LABEL = 150;
const RIGHT = 70;
const ROW = 34;
const TOP = 8;
const AXIS = 26;

function el(name, attributes = {}, text = "") {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text) node.textContent = text;
  return node;
}

export function money(amount, currency, compact = false) {
  if (amount === null || amount === undefined) return "–";
  return new Intl.NumberFormat("en", {
    style: "currency", currency, maximumFractionDigits: 0, notation: compact ? "compact" : "standard",
  }).format(amount);
}

// An OEWS release code in words: "2025A01" is the May 2025 estimates.
export function releaseName(release) {
  const found = /^(\d{4})A01$/.exec(release || "");
  return found ? `May ${found[1]}` : release;
}

function niceStep(span) {
  const raw = span / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((step) => step >= raw);
}

const lowest = (r) => r.p10 ?? r.p25;
const highest = (r) => r.p90 ?? r.p75;

// Why a shown row has no p10 and p90 (the server says why: a group too small for its tails).
function tailsNote(row) {
  const why = (row.omitted && (row.omitted.p10 || row.omitted.p90)) || "not published for this group";
  return `10th and 90th percentiles not shown: ${why}`;
}

// rows: [{key, label, count, p10, p25, median, p75, p90, withheld, withheldReason, heldBack, omitted, official}];
// marker: an amount drawn as a line across every row (the offer check's).
export function distribution(rows, currency, title, marker = null) {
  const shown = rows.filter((r) => !r.withheld && r.median !== null && lowest(r) !== null && highest(r) !== null);
  const height = TOP + rows.length * ROW + AXIS;
  const svg = el("svg", { viewBox: `0 0 ${WIDTH} ${height}`, role: "group", class: "distribution" });
  svg.append(el("title", {}, title));
  if (!rows.length) return svg;
  let low = Math.min(...shown.map(lowest));
  let high = Math.max(...shown.map(highest));
  if (!shown.length) [low, high] = [0, 1];
  if (marker !== null) [low, high] = [Math.min(low, marker), Math.max(high, marker)];
  if (low === high) [low, high] = [low * 0.9, high * 1.1 + 1];
  const step = niceStep(high - low);
  low = Math.floor(low / step) * step;
  high = Math.ceil(high / step) * step;
  const x = (v) => LABEL + ((v - low) / (high - low)) * (WIDTH - LABEL - RIGHT);
  const axisY = TOP + rows.length * ROW;
  for (let tick = low; tick <= high + step / 2; tick += step) {
    svg.append(el("line", { x1: x(tick), x2: x(tick), y1: TOP, y2: axisY, class: "grid" }));
    svg.append(el("text", { x: x(tick), y: axisY + 16, class: "tick" }, money(tick, currency, true)));
  }
  rows.forEach((row, index) => {
    const y = TOP + index * ROW + ROW / 2;
    const mark = el("g", { class: row.official ? "mark official" : "mark", "data-key": row.key,
      "data-count": row.count, "data-withheld": row.withheld ? "true" : "false",
      "data-held-back": row.heldBack ? "true" : "false" });
    mark.append(el("text", { x: LABEL - 8, y: y + 4, class: "label" }, row.label));
    const waiting = row.heldBack ? "; newer submissions wait for the next release" : "";
    if (row.withheld || row.median === null) {
      const why = row.withheldReason || "too few people to show";
      const short = row.short || "withheld: too few people";
      mark.setAttribute("aria-label", `${row.label}: withheld, ${why} (${row.count} people)${waiting}`);
      mark.append(el("title", {}, mark.getAttribute("aria-label")));
      mark.append(el("text", { x: LABEL + 4, y: y + 4, class: "withheld" }, short));
    } else {
      for (const key of ["p10", "p25", "median", "p75", "p90"]) {
        mark.setAttribute(`data-${key}`, row[key] === null ? "not shown" : row[key]);
      }
      const people = row.official ? "official estimate" : `${row.count} people`;
      const tails = row.p10 !== null && row.p90 !== null ? `, 10th to 90th percentile ${money(row.p10, currency)} `
        + `to ${money(row.p90, currency)}` : `; ${tailsNote(row)}`;
      mark.setAttribute("aria-label", `${row.label}: median ${money(row.median, currency)}, middle half `
        + `${money(row.p25, currency)} to ${money(row.p75, currency)}${tails}, ${people}${waiting}`);
      mark.append(el("title", {}, mark.getAttribute("aria-label")));
      if (row.p10 !== null && row.p90 !== null) {
        mark.append(el("line", { x1: x(row.p10), x2: x(row.p90), y1: y, y2: y, class: "whisker" }));
      }
      mark.append(el("rect", { x: x(row.p25), y: y - 9, width: Math.max(1, x(row.p75) - x(row.p25)), height: 18,
        class: "box" }));
      mark.append(el("line", { x1: x(row.median), x2: x(row.median), y1: y - 11, y2: y + 11, class: "median" }));
    }
    mark.append(el("text", { x: WIDTH - 4, y: y + 4, class: "count" }, row.official ? "BLS" : `n=${row.count.toLocaleString("en")}`));
    svg.append(mark);
  });
  if (marker !== null) {
    const line = el("g", { class: "marker", "data-value": marker });
    line.append(el("line", { x1: x(marker), x2: x(marker), y1: TOP - 4, y2: axisY, class: "marker-line" }));
    line.append(el("title", {}, `the amount: ${money(marker, currency)}`));
    svg.append(line);
  }
  return svg;
}

// The same rows as a table, for screen readers and for copying.
export function figuresTable(rows, currency, firstHeading) {
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const heading of [firstHeading, "people", "p10", "p25", "median", "p75", "p90", "mean"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = heading;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = row.label;
    tr.append(th);
    tr.insertCell().textContent = row.official ? "–" : String(row.count);
    for (const key of ["p10", "p25", "median", "p75", "p90", "mean"]) {
      const cell = tr.insertCell();
      if (row.withheld) {
        cell.textContent = "withheld";
        cell.title = row.withheldReason || "too few people to show";
      } else if (row[key] === null || row[key] === undefined) {
        cell.textContent = "not shown";
        cell.title = (row.omitted && row.omitted[key]) || "not published for this group";
      } else {
        cell.textContent = money(row[key], currency);
      }
    }
  }
  return table;
}
