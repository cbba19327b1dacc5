// The dashboard: a role picker, then pay, official wages, skills, demand and the learning path,
// all read from the public GraphQL API; pay is read again whenever summariesUpdated fires.
import { GraphQLError, apiKey, query, setApiKey, subscribe } from "./graphql.js";
import { distribution, figuresTable, money } from "./charts.js";
import { ROLE_QUERY, PAY_QUERY, GAP_QUERY, SEARCH_QUERY, UPDATES } from "./queries.js";
import { renderDemand, renderPath, renderRole, renderSkills } from "./panels.js";

const BANDS = [["ENTRY", "Entry (under 1 y)"], ["EARLY", "Early (1–3 y)"], ["MID", "Mid (4–6 y)"],
  ["EXPERIENCED", "Experienced (7–9 y)"], ["SENIOR", "Senior (10 y +)"]];
const PLACES_SHOWN = 12;
const $ = (selector) => document.querySelector(selector);
const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
const state = { role: null, unsubscribe: null, currency: "USD", places: "COUNTRY", gapTimer: null };

function show(section, visible = true) {
  $(section).hidden = !visible;
}

function problem(error) {
  const box = $("#problem");
  if (!error) {
    box.hidden = true;
    return;
  }
  const codes = error instanceof GraphQLError ? ` (${[...new Set(error.codes)].join(", ")})` : "";
  box.textContent = `Could not read from careergraph: ${error.message}${codes}`;
  box.hidden = false;
}

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

function summaryProvenance(rows, currency) {
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
    const left = ready.reduce((sum, r) => sum + (r.conversion ? r.conversion.unconvertibleCount : 0), 0);
    const codes = [...new Set(ready.flatMap((r) => (r.conversion ? r.conversion.unconvertibleCurrencies : [])))];
    if (left) parts.push(`${left} in currencies without a published rate (${codes.join(", ")}) are left out.`);
  }
  if (ready.some((r) => r.stale)) parts.push("Newer observations are being summarised now.");
  return parts.join(" ");
}

function summaryRow(row, key, label) {
  return { key, label, count: row.count, p10: row.p10, p25: row.p25, median: row.median, p75: row.p75,
    p90: row.p90, mean: row.mean, withheld: row.withheld, withheldReason: row.withheldReason };
}

function drawDistribution(section, rows, currency, heading, title) {
  const chart = $(`${section} .chart`);
  chart.replaceChildren(rows.length ? distribution(rows, currency, title) : document.createTextNode(
    "No observations yet."));
  $(`${section} .table`).replaceChildren(figuresTable(rows, currency, heading));
}

function renderBands(rows, currency) {
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

function renderPlaces(rows, currency) {
  const ready = rows.filter((r) => r.status === "READY" && (r.country || r.regionCode));
  ready.sort((a, b) => b.count - a.count || placeLabel(a).localeCompare(placeLabel(b)));
  const shown = ready.slice(0, PLACES_SHOWN).map((r) => summaryRow(r, r.regionCode || r.country, placeLabel(r)));
  drawDistribution("#pay-places", shown, currency, "place", `Pay by place in ${currency}`);
  const more = ready.length > PLACES_SHOWN ? ` The ${PLACES_SHOWN} places with most people are shown of `
    + `${ready.length}.` : "";
  $("#pay-places .provenance").textContent = summaryProvenance(rows, currency) + more;
}

function officialRow(wage) {
  const bound = (figure) => {
    const found = wage.atLeast.find((b) => b.figure === figure);
    return found ? found.atLeast : null;
  };
  const figure = (name) => wage[name] ?? bound(name);
  return { key: wage.occupation.code, label: `OEWS ${wage.occupation.code}`, official: true, count: 0,
    p10: figure("annualP10"), p25: figure("annualP25"), median: figure("annualMedian"), p75: figure("annualP75"),
    p90: figure("annualP90"), mean: wage.annualMean, withheld: false };
}

function renderOfficial(data) {
  const crowd = data.crowdUS.find((r) => r.status === "READY");
  const wages = data.officialWages;
  show("#official", Boolean(wages.length || crowd));
  const rows = [];
  if (crowd) rows.push(summaryRow(crowd, "crowd", "Crowd, US"));
  rows.push(...wages.map(officialRow));
  drawDistribution("#official", rows, "USD", "who", "Crowd pay and official wages in US dollars");
  const comparison = data.payComparison;
  const lines = [];
  if (comparison) {
    lines.push(comparison.crowdWithheld ? "Crowd median in the US: withheld (too few people)."
      : `Crowd median in the US: ${money(comparison.crowdMedian, "USD")} from `
        + `${comparison.crowdCount.toLocaleString("en")} people.`);
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
  const sources = wages.map((w) => `${w.source ? w.source.publisher : "BLS"}, ${w.release}`
    + `${w.source && w.source.retrieved ? `, retrieved ${w.source.retrieved}` : ""}`);
  $("#official .provenance").textContent = wages.length
    ? `Official: ${[...new Set(sources)].join("; ")}. ${wages.length} occupation(s) for this role.`
    : "No official wages are loaded for this role's occupations.";
}

async function loadPay() {
  if (!state.role) return;
  const data = await query(PAY_QUERY, { role: state.role, to: state.currency, places: state.places });
  renderBands(data.bands, state.currency);
  renderPlaces(data.places, state.currency);
  renderOfficial(data);
  for (const section of ["#pay-bands", "#pay-places"]) show(section);
  document.body.dataset.payVersion = (data.bands.find((r) => r.version) || {}).version || "";
}

async function loadGap() {
  const have = [...document.querySelectorAll("#path .choices input:checked")].map((box) => box.value);
  const data = await query(GAP_QUERY, { role: state.role, have });
  const gap = data.skillGap;
  const left = new Set(gap.steps.map((step) => step.position));
  for (const item of document.querySelectorAll("#path .steps li")) {
    item.classList.toggle("done", !left.has(Number(item.dataset.position)));
  }
  $("#path .gap").textContent = `${gap.missing.length} skill(s) to learn: ${gap.steps.length} step(s) and `
    + `${gap.totalHours} hours left.`;
  $("#path .gap").dataset.hours = gap.totalHours;
}

function onGapChange() {
  clearTimeout(state.gapTimer);
  state.gapTimer = setTimeout(() => loadGap().catch(problem), 150);
}

function live(text) {
  $("#live").textContent = text;
}

function follow(slug) {
  if (state.unsubscribe) state.unsubscribe();
  state.unsubscribe = subscribe(UPDATES, { role: slug }, async (data) => {
    const notice = data.summariesUpdated;
    try {
      await loadPay();
      live(`Updated at ${new Date().toLocaleTimeString("en-GB")}: new summaries (version ${notice.version}) were `
        + "published and the pay figures were read again.");
      document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
    } catch (error) {
      problem(error);
    }
  }, (connection) => {
    const texts = { live: "Live: this page updates itself when new summaries are published.",
      reconnecting: "Live updates lost; reconnecting…", refused: "Live updates refused: check the API key." };
    if (!$("#live").textContent.startsWith("Updated") || connection !== "live") live(texts[connection]);
  });
}

function remember() {  // the address names the role and the currency, so the view can be shared
  const url = new URL(location.href);
  url.searchParams.set("role", state.role);
  url.searchParams.set("currency", state.currency);
  history.replaceState(null, "", url);
}

async function pick(slug) {
  problem(null);
  const data = await query(ROLE_QUERY, { slug });
  if (!data.role) {
    problem(new Error(`there is no role ${slug}`));
    return;
  }
  state.role = slug;
  remember();
  $("#empty").hidden = true;
  if (!$("#role-search").value) $("#role-search").value = data.role.title;
  renderRole(data.role);
  renderSkills(data.role);
  renderDemand(data.role, age);
  renderPath(data.role, onGapChange);
  for (const section of ["#role", "#skills", "#demand", "#path"]) show(section);
  await loadPay();
  if (data.role.learningPaths.length) await loadGap();
  follow(slug);
  document.body.dataset.role = slug;
}

async function search(text) {
  const list = $("#role-results");
  if (text.trim().length < 2) {
    list.replaceChildren();
    return [];
  }
  const data = await query(SEARCH_QUERY, { text });
  const roles = data.search.filter((hit) => hit.__typename === "Role");
  list.replaceChildren(...roles.map((role) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.slug = role.slug;
    button.textContent = role.title;
    button.addEventListener("click", () => {
      list.replaceChildren();
      $("#role-search").value = role.title;
      pick(role.slug).catch(problem);
    });
    item.append(button);
    return item;
  }));
  return roles;
}

function start() {
  const params = new URLSearchParams(location.search);
  if (["USD", "EUR"].includes(params.get("currency"))) state.currency = params.get("currency");
  $("#currency").value = state.currency;
  $("#api-key").value = apiKey();
  let timer = null;
  $("#role-search").addEventListener("input", (event) => {
    clearTimeout(timer);
    timer = setTimeout(() => search(event.target.value).catch(problem), 150);
  });
  $("#picker").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const roles = await search($("#role-search").value);
      if (roles.length) {
        $("#role-results").replaceChildren();
        $("#role-search").value = roles[0].title;
        await pick(roles[0].slug);
      }
    } catch (error) {
      problem(error);
    }
  });
  $("#currency").addEventListener("change", (event) => {
    state.currency = event.target.value;  // only the pay depends on it
    if (!state.role) return;
    remember();
    loadPay().catch(problem);
  });
  $("#place-level").addEventListener("change", (event) => {
    state.places = event.target.value;
    loadPay().catch(problem);
  });
  $("#api-key").addEventListener("change", (event) => {
    setApiKey(event.target.value);
    if (state.role) pick(state.role).catch(problem);
  });
  document.body.dataset.ready = "true";
  if (params.get("role")) pick(params.get("role")).catch(problem);
}

start();
