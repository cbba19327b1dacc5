// The next-moves panel: the roles this one can move to at the chosen place, best first, each with what
// it takes (skills known of those needed, skills to learn, hours on the target's learning path), what
// it pays (the change of median and whose medians), how many hold it there, and why it ranks there.
import { money, releaseName } from "./charts.js";

function node(tag, text = "", className = "") {
  const found = document.createElement(tag);
  if (text) found.textContent = text;
  if (className) found.className = className;
  return found;
}

function payText(pay) {
  if (!pay) return "pay change unknown (no two medians of one kind here)";
  const sign = pay.change >= 0 ? "+" : "−";
  const kind = pay.basis === "CROWD" ? `crowd medians of ${pay.currentCount.toLocaleString("en")} and `
    + `${pay.targetCount.toLocaleString("en")} people` : `OEWS ${releaseName(pay.release)} medians of ${pay.currentOccupation} `
    + `and ${pay.targetOccupation}`;
  return `${sign}${money(Math.abs(pay.change), "USD")} a year (${sign}${Math.abs(pay.share * 100).toFixed(0)}%; `
    + `${money(pay.current, "USD")} to ${money(pay.target, "USD")}, ${kind})`;
}

function move(m) {
  const item = node("li", "", "move");
  Object.assign(item.dataset, { slug: m.slug, rank: m.rank, employment: m.employment ?? "",
    hours: m.hours ?? "", change: m.pay ? m.pay.change : "", basis: m.pay ? m.pay.basis : "" });
  const head = node("p", "", "move-head");
  head.append(node("strong", m.title), node("span", ` ${m.relatedness.tier}`
    + `${m.relatedness.onetIndex ? ` (O*NET index ${m.relatedness.onetIndex})` : ""}`, "category"));
  const needed = m.known.length + m.toLearn.length;
  const facts = node("dl", "", "move-facts");
  const learn = m.toLearn.slice(0, 5).map((s) => s.name).join(", ") + (m.toLearn.length > 5
    ? ` and ${m.toLearn.length - 5} more` : "");
  const hours = m.hours !== null ? `${m.hours} hours on “${m.learningPath ? m.learningPath.title : "its path"}”`
    : "hours unknown: no learning path for this role yet";
  const jobs = m.employment !== null ? `${Math.round(m.employment).toLocaleString("en")} jobs (${m.occupation})`
    + `${m.locationQuotient !== null ? `, location quotient ${m.locationQuotient}` : ""}` : "no official count here";
  for (const [term, value] of [["Skills", `you know ${m.known.length} of the ${needed} it needs`],
    ["To learn", m.toLearn.length ? `${learn}; ${hours}` : "nothing: you have every skill it needs"],
    ["Pay", payText(m.pay)], ["Jobs", jobs]]) {
    facts.append(node("dt", term), node("dd", value));
  }
  const why = node("details", "", "why");
  why.append(node("summary", "Why it ranks here"), node("p", m.why));
  item.append(head, facts, why);
  return item;
}

export function renderMoves(section, found, placeName) {
  const list = section.querySelector(".moves");
  list.replaceChildren(...(found.moves.length ? found.moves.map(move)
    : [node("li", "No moves found for this role: it names no related role and shares no skill.")]));
  section.dataset.area = found.place.area;
  section.querySelector(".place-name").textContent = placeName;
  const sources = [...new Set(found.moves.filter((m) => m.officialSource).map((m) => m.officialSource.publisher))];
  section.querySelector(".provenance").textContent = `Ranked by careergraph's rule: ${found.rule}. Skills and paths: `
    + `the catalogue and O*NET; jobs and official medians: ${sources.join(", ") || "none loaded"}.`;
}
