// The offer check: where an amount stands among the role's published crowd percentiles and its official
// ones at the chosen place (payPosition), after converting it to US dollars at its year's rate and, with
// real dollars chosen, to constant dollars of the CPI's latest full year.
import { distribution, money, releaseName } from "./charts.js";

function row(key, label, percentiles, people, official) {
  const value = (name) => (percentiles.find((p) => p.label === name) || {}).value ?? null;
  return { key, label, count: people, official, p10: value("p10"), p25: value("p25"), median: value("p50"),
    p75: value("p75"), p90: value("p90"), withheld: false };
}

export function renderOffer(section, found) {
  const rows = [];
  const crowd = found.crowd;
  if (crowd && !crowd.withheld && crowd.percentiles.length >= 2) {
    rows.push(row("crowd", `Crowd, ${found.place.label}`, crowd.percentiles, crowd.count, false));
  } else if (crowd) {
    rows.push({ key: "crowd", label: `Crowd, ${found.place.label}`, count: crowd.count, withheld: true,
      withheldReason: "the crowd's group is too small to publish", p10: null });
  }
  if (found.official && found.official.percentiles.length >= 2) {
    rows.push(row("official", `OEWS ${found.official.occupation}`, found.official.percentiles, 0, true));
  }
  const amount = found.amount;
  const verdict = section.querySelector(".verdict");
  verdict.textContent = `${money(amount.compared, "USD")} is ${found.words}.`;
  verdict.dataset.words = found.words;
  const chart = section.querySelector(".chart");
  chart.replaceChildren(rows.length ? distribution(rows, "USD", "The amount among the role's pay", amount.compared)
    : document.createTextNode("No published figure to compare with here."));
  const parts = [];
  if (amount.currency !== "USD") {
    parts.push(`${money(amount.amount, amount.currency)} of ${amount.year} is ${money(amount.usd, "USD")} at `
      + `${amount.exchangeYear}'s average ECB rate (1 ${amount.currency} = ${amount.exchangeFactor.toFixed(4)} USD).`);
  }
  if (amount.real) {
    const r = amount.real;
    parts.push(`In ${r.baseYear} dollars: ${money(r.nominal, "USD")} × CPI-U ${r.indexBase} / ${r.indexYear} = `
      + `${money(r.amount, "USD")} (${r.seriesTitle}, ${r.series}; ${r.source.publisher}).`);
  }
  if (crowd) {
    parts.push(crowd.withheld ? `The crowd group of ${crowd.count} people is withheld: only its size is published.`
      : `Crowd: ${crowd.count.toLocaleString("en")} people${crowd.bandApplied ? "" : " of every band (no band is "
        + "published by state)"}, careergraph summaries version ${crowd.version}.`);
  }
  if (found.official) {
    parts.push(`Official: ${found.official.source ? found.official.source.publisher : "BLS"}, OEWS `
      + `${releaseName(found.official.release)}, ${found.official.occupation}, every experience level.`);
  }
  section.querySelector(".provenance").textContent = parts.join(" ");
}
