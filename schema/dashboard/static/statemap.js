// Official median pay by state as a tile-grid map: each state a square in a grid that keeps the
// country's rough shape (as newsrooms draw them), coloured by its median in five classes of equal
// counts. The page draws it as plain SVG. One tile is in the tab order at a time; the arrow keys move
// between neighbours, Enter or Space picks the state (for next moves and the offer check). The same
// figures are in a table beside it.
import { money } from "./charts.js";

const NS = "http://www.w3.org/2000/svg";
const SIZE = 46;
const GAP = 4;
// [postal code, FIPS, name, row, column]: careergraph's own layout of the tile grid.
export const TILES = [
  ["AK", "02", "Alaska", 0, 0], ["ME", "23", "Maine", 0, 11],
  ["WI", "55", "Wisconsin", 1, 6], ["VT", "50", "Vermont", 1, 10], ["NH", "33", "New Hampshire", 1, 11],
  ["WA", "53", "Washington", 2, 1], ["ID", "16", "Idaho", 2, 2], ["MT", "30", "Montana", 2, 3],
  ["ND", "38", "North Dakota", 2, 4], ["MN", "27", "Minnesota", 2, 5], ["IL", "17", "Illinois", 2, 6],
  ["MI", "26", "Michigan", 2, 7], ["NY", "36", "New York", 2, 9], ["MA", "25", "Massachusetts", 2, 10],
  ["OR", "41", "Oregon", 3, 1], ["NV", "32", "Nevada", 3, 2], ["WY", "56", "Wyoming", 3, 3],
  ["SD", "46", "South Dakota", 3, 4], ["IA", "19", "Iowa", 3, 5], ["IN", "18", "Indiana", 3, 6],
  ["OH", "39", "Ohio", 3, 7], ["PA", "42", "Pennsylvania", 3, 8], ["NJ", "34", "New Jersey", 3, 9],
  ["CT", "09", "Connecticut", 3, 10], ["RI", "44", "Rhode Island", 3, 11],
  ["CA", "06", "California", 4, 1], ["UT", "49", "Utah", 4, 2], ["CO", "08", "Colorado", 4, 3],
  ["NE", "31", "Nebraska", 4, 4], ["MO", "29", "Missouri", 4, 5], ["KY", "21", "Kentucky", 4, 6],
  ["WV", "54", "West Virginia", 4, 7], ["VA", "51", "Virginia", 4, 8], ["MD", "24", "Maryland", 4, 9],
  ["DE", "10", "Delaware", 4, 10],
  ["AZ", "04", "Arizona", 5, 2], ["NM", "35", "New Mexico", 5, 3], ["KS", "20", "Kansas", 5, 4],
  ["AR", "05", "Arkansas", 5, 5], ["TN", "47", "Tennessee", 5, 6], ["NC", "37", "North Carolina", 5, 7],
  ["SC", "45", "South Carolina", 5, 8], ["DC", "11", "District of Columbia", 5, 9],
  ["OK", "40", "Oklahoma", 6, 4], ["LA", "22", "Louisiana", 6, 5], ["MS", "28", "Mississippi", 6, 6],
  ["AL", "01", "Alabama", 6, 7], ["GA", "13", "Georgia", 6, 8],
  ["HI", "15", "Hawaii", 7, 0], ["TX", "48", "Texas", 7, 4], ["FL", "12", "Florida", 7, 9],
  ["PR", "72", "Puerto Rico", 7, 11],
];
const PALETTE = ["#deebf7", "#9ecae1", "#6baed6", "#2171b5", "#08306b"];  // light to dark; WCAG AA with the ink
const INK = ["#1b1f24", "#1b1f24", "#1b1f24", "#ffffff", "#ffffff"];

function el(name, attributes = {}, text = "") {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text) node.textContent = text;
  return node;
}

// Upper bounds of five classes with (about) as many states in each.
export function classes(medians) {
  const sorted = [...medians].sort((a, b) => a - b);
  return [1, 2, 3, 4].map((k) => sorted[Math.min(sorted.length - 1, Math.ceil((k * sorted.length) / 5) - 1)]);
}

function classOf(value, bounds) {
  const found = bounds.findIndex((bound) => value <= bound);
  return found === -1 ? bounds.length : found;
}

function describe(tile, wage) {
  if (!wage) return `${tile[2]}: no official median for this occupation`;
  const jobs = wage.employment !== null ? `, ${Math.round(wage.employment).toLocaleString("en")} jobs` : "";
  const lq = wage.locationQuotient !== null ? `, location quotient ${wage.locationQuotient}` : "";
  return `${tile[2]}: median ${money(wage.annualMedian, "USD")}${jobs}${lq}`;
}

function move(tiles, from, key) {
  const [dr, dc] = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[key];
  const candidates = tiles.filter((t) => (dr ? Math.sign(t[3] - from[3]) === dr : t[3] === from[3])
    && (dc ? Math.sign(t[4] - from[4]) === dc : true));
  const distance = (t) => Math.abs(t[3] - from[3]) * (dr ? 1 : 10) + Math.abs(t[4] - from[4]) * (dc ? 1 : 10);
  return candidates.sort((a, b) => distance(a) - distance(b))[0] || null;
}

// wages: the role's official wages of one occupation in every state; onPick(postal, name) on Enter or click.
export function stateMap(wages, onPick) {
  const byFips = new Map(wages.filter((w) => w.area && w.annualMedian !== null).map((w) => [w.area.code.slice(0, 2), w]));
  const bounds = classes([...byFips.values()].map((w) => w.annualMedian));
  const width = 12 * (SIZE + GAP);
  const svg = el("svg", { viewBox: `0 0 ${width} ${8 * (SIZE + GAP) + 40}`, role: "group", class: "state-map",
    "aria-label": "Official median pay by state; use the arrow keys to move between states and Enter to pick one" });
  const groups = new Map();
  for (const tile of TILES) {
    const wage = byFips.get(tile[1]);
    const k = wage ? classOf(wage.annualMedian, bounds) : null;
    const g = el("g", { class: wage ? "tile" : "tile empty", tabindex: "-1", role: "button", "data-state": tile[0],
      "aria-label": describe(tile, wage), transform: `translate(${tile[4] * (SIZE + GAP)},${tile[3] * (SIZE + GAP)})` });
    if (wage) g.dataset.median = wage.annualMedian;
    g.append(el("title", {}, describe(tile, wage)));
    g.append(el("rect", { width: SIZE, height: SIZE, rx: 4, fill: wage ? PALETTE[k] : "#eef0f2" }));
    const ink = wage ? INK[k] : "#4a5561";
    g.append(el("text", { x: SIZE / 2, y: 20, fill: ink, class: "postal" }, tile[0]));
    g.append(el("text", { x: SIZE / 2, y: 36, fill: ink, class: "figure" },
      wage ? money(wage.annualMedian, "USD", true) : "–"));
    g.addEventListener("click", () => onPick(tile[0], tile[2]));
    g.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        onPick(tile[0], tile[2]);
      } else if (event.key.startsWith("Arrow")) {
        event.preventDefault();
        const next = move(TILES, tile, event.key);
        if (next) focusTile(groups, next[0]);
      }
    });
    groups.set(tile[0], g);
    svg.append(g);
  }
  const first = TILES.find((t) => byFips.has(t[1])) || TILES[0];
  groups.get(first[0]).setAttribute("tabindex", "0");
  svg.append(legend(bounds, [...byFips.values()].map((w) => w.annualMedian), 8 * (SIZE + GAP) + 8));
  return svg;
}

function focusTile(groups, postal) {
  for (const g of groups.values()) g.setAttribute("tabindex", "-1");
  const target = groups.get(postal);
  target.setAttribute("tabindex", "0");
  target.focus();
}

function legend(bounds, medians, y) {
  const g = el("g", { class: "legend", transform: `translate(0,${y})`, "aria-hidden": "true" });
  if (!medians.length) return g;
  const low = Math.min(...medians);
  const edges = [low, ...bounds, Math.max(...medians)];
  PALETTE.forEach((colour, k) => {
    g.append(el("rect", { x: k * 118, y: 0, width: 16, height: 16, fill: colour, stroke: "#4a5561" }));
    g.append(el("text", { x: k * 118 + 20, y: 13, class: "legend-text" },
      `${money(edges[k], "USD", true)}–${money(edges[k + 1], "USD", true)}`));
  });
  return g;
}

export function stateTable(wages) {
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const heading of ["state", "median", "p10", "p90", "jobs", "location quotient"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = heading;
    head.append(th);
  }
  const body = table.createTBody();
  for (const wage of [...wages].sort((a, b) => a.area.name.localeCompare(b.area.name))) {
    const tr = body.insertRow();
    tr.dataset.area = wage.area.code;
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = wage.area.name;
    tr.append(th);
    tr.insertCell().textContent = wage.annualMedian !== null ? money(wage.annualMedian, "USD") : "–";
    tr.insertCell().textContent = money(wage.annualP10, "USD");
    tr.insertCell().textContent = money(wage.annualP90, "USD");
    tr.insertCell().textContent = wage.employment !== null ? Math.round(wage.employment).toLocaleString("en") : "–";
    tr.insertCell().textContent = wage.locationQuotient ?? "–";
  }
  return table;
}
