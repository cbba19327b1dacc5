// The dashboard: a role picker, then pay (crowd, else official), official wages by state, pay by year
// (nominal or real), next moves, an offer check, skills, demand and the learning path, all read from the
// public GraphQL API; pay is read again whenever summariesUpdated fires.
import { GraphQLError, apiKey, query, setApiKey, subscribe } from "./graphql.js";
import { GAP_QUERY, MOVES_QUERY, OFFER_QUERY, PAY_QUERY, ROLE_QUERY, SEARCH_QUERY, UPDATES, YEARS_QUERY }
  from "./queries.js";
import { renderDemand, renderPath, renderRole, renderSkills } from "./panels.js";
import { age, mainOccupation, officialSource, renderBands, renderOfficial, renderPlaces } from "./pay.js";
import { stateMap, stateTable, TILES } from "./statemap.js";
import { renderMoves } from "./moves.js";
import { renderOffer } from "./offer.js";
import { renderYears } from "./years.js";

const $ = (selector) => document.querySelector(selector);
const state = { role: null, unsubscribe: null, currency: "USD", places: "COUNTRY", gapTimer: null, dollars: "NOMINAL",
  place: "US", offer: null };

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

function placeName() {
  const option = [...$("#place").options].find((o) => o.value === state.place);
  return option ? option.textContent : state.place;
}

function renderStates(data) {
  const code = mainOccupation(data.officialWages);
  const wages = data.states.filter((w) => w.occupation.code === code && w.area);
  show("#state-map", wages.length > 0);
  const select = $("#place");
  const options = [["US", "United States"], ...wages.map((w) => [w.area.code.slice(0, 2), w.area.name])
    .map(([fips, name]) => [(TILES.find((t) => t[1] === fips) || [fips])[0], name])
    .sort((a, b) => a[1].localeCompare(b[1]))];
  if (!options.some(([value]) => value === state.place)) state.place = "US";
  select.replaceChildren(...options.map(([value, name]) => new Option(name, value, false, value === state.place)));
  if (!wages.length) return;
  $("#state-map .chart").replaceChildren(stateMap(wages, (postal, name) => {
    $("#state-map .picked").textContent = `${name} picked: next moves and the offer check now use it.`;
    setPlace(postal);
  }));
  $("#state-map .table").replaceChildren(stateTable(wages));
  const occupation = data.officialWages.find((w) => w.occupation.code === code);
  $("#state-map .provenance").textContent = `Official: annual median wage of ${code}`
    + `${occupation && occupation.occupation.title ? ` (${occupation.occupation.title})` : ""}, the role's occupation `
    + `with the most jobs, all industries; ${officialSource(wages)}. Five colour classes of about equal numbers of `
    + "states. BLS has not reviewed careergraph's figures.";
}

async function loadPay() {
  if (!state.role) return;
  const data = await query(PAY_QUERY, { role: state.role, to: state.currency, places: state.places });
  renderBands(data.bands, state.currency, data.officialWages);
  renderPlaces(data.places, state.currency, data.officialWages, data.states);
  renderOfficial(data);
  renderStates(data);
  for (const section of ["#pay-bands", "#pay-places"]) show(section);
  document.body.dataset.payVersion = (data.bands.find((r) => r.version) || {}).version || "";
}

async function loadYears() {
  const adjust = state.dollars === "REAL" ? "REAL" : null;
  const data = await query(YEARS_QUERY, { role: state.role, adjust });
  renderYears($("#pay-years"), data.years, adjust !== null);
}

async function loadMoves() {
  const data = await query(MOVES_QUERY, { role: state.role, area: state.place });
  renderMoves($("#moves"), data.nextMoves, placeName());
  show("#moves");
  document.body.dataset.movesArea = data.nextMoves.place.area;
}

async function checkOffer() {
  if (!state.offer) return;
  const data = await query(OFFER_QUERY, { ...state.offer, role: state.role, area: state.place,
    adjust: state.dollars === "REAL" ? "REAL" : null });
  renderOffer($("#offer"), data.payPosition);
  $("#offer").dataset.checked = `${state.place}:${state.dollars}:${state.offer.amount}`;
}

function setPlace(postal) {
  state.place = postal;
  $("#place").value = postal;
  remember();
  loadMoves().then(checkOffer).catch(problem);
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
      await loadYears();
      await loadMoves();
    } catch (error) {
      problem(error);
    }
  }, (connection) => {
    const texts = { live: "Live: this page updates itself when new summaries are published.",
      reconnecting: "Live updates lost; reconnecting…", refused: "Live updates refused: check the API key." };
    if (!$("#live").textContent.startsWith("Updated") || connection !== "live") live(texts[connection]);
  });
}

function remember() {  // the address names the role, the currency, the dollars and the place, so the view can be shared
  const url = new URL(location.href);
  if (state.role) url.searchParams.set("role", state.role);
  url.searchParams.set("currency", state.currency);
  url.searchParams.set("dollars", state.dollars.toLowerCase());
  url.searchParams.set("place", state.place);
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
  for (const section of ["#role", "#skills", "#demand", "#path", "#offer"]) show(section);
  state.offer = null;
  for (const part of [".verdict", ".chart", ".provenance"]) $(`#offer ${part}`).replaceChildren();
  await loadPay();
  await loadYears();
  await loadMoves();
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
  if (params.get("dollars") === "real") state.dollars = "REAL";
  if (/^[A-Z]{2}$/.test(params.get("place") || "")) state.place = params.get("place");
  $("#currency").value = state.currency;
  $("#dollars").value = state.dollars;
  $("#offer-year").value = String(new Date().getFullYear());
  $("#offer-year").max = String(new Date().getFullYear());
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
  $("#dollars").addEventListener("change", (event) => {
    state.dollars = event.target.value;
    if (!state.role) return;
    remember();
    loadYears().then(checkOffer).catch(problem);
  });
  $("#place").addEventListener("change", (event) => {
    if (state.role) setPlace(event.target.value);
  });
  $("#offer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const band = $("#offer-band").value;
    state.offer = { amount: Number($("#offer-amount").value), currency: $("#offer-currency").value,
      year: Number($("#offer-year").value), band: band || null };
    checkOffer().catch(problem);
  });
  $("#api-key").addEventListener("change", (event) => {
    setApiKey(event.target.value);
    if (state.role) pick(state.role).catch(problem);
  });
  document.body.dataset.ready = "true";
  if (params.get("role")) pick(params.get("role")).catch(problem);
}

start();
