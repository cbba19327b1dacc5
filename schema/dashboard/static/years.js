// Pay by the year it was observed, in US dollars: nominal (dollars of each year) or real (constant
// dollars of the CPI-U's latest full year, each year's row scaled by one stated factor). Rows with no
// year of their own are counted but never adjusted.
import { distribution, figuresTable } from "./charts.js";
import { age, summaryRow } from "./pay.js";

export function renderYears(section, rows, real) {
  const ready = rows.filter((r) => r.status === "READY").sort((a, b) => (a.year ?? 9999) - (b.year ?? 9999));
  section.hidden = !ready.some((r) => r.year !== null);
  if (section.hidden) return;
  const shown = ready.map((r) => {
    const row = summaryRow(r, String(r.year ?? "unknown"), r.year ? String(r.year) : "year unknown");
    if (r.adjustment && !r.adjustment.applied) {
      Object.assign(row, { withheld: true, withheldReason: r.adjustment.reason, short: "not adjusted: year unknown" });
    }
    return row;
  });
  const adjusted = ready.find((r) => r.adjustment && r.adjustment.applied);
  const unit = real && adjusted ? adjusted.adjustment.unit : "US dollars of each year";
  section.querySelector(".chart").replaceChildren(distribution(shown, "USD", `Pay by year observed, in ${unit}`));
  section.querySelector(".table").replaceChildren(figuresTable(shown, "USD", "year"));
  section.dataset.dollars = real ? "REAL" : "NOMINAL";
  const people = ready.reduce((sum, r) => sum + r.count, 0);
  const parts = [`Crowd pay from ${people.toLocaleString("en")} people by the year it was observed, pooled into US `
    + `dollars at each year's ECB rate; computed ${age(ready[0].computedAt)}.`];
  if (real && adjusted) {
    const a = adjusted.adjustment;
    parts.push(`Real: in ${a.unit}, each year's figures × CPI-U(${a.baseYear}) / CPI-U(year) (${a.seriesTitle}, `
      + `${a.series}; U.S. Bureau of Labor Statistics). Rows with no year of their own are not adjusted.`);
  } else {
    parts.push("Nominal: each year in its own dollars; choose real dollars above to compare years.");
  }
  section.querySelector(".provenance").textContent = parts.join(" ");
}
