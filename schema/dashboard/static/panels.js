// The role's catalog panels: its description, skills, demand and learning path with the skill-gap
// checkboxes. Text goes in through textContent only.
const IMPORTANCE = [["CORE", "Core"], ["RECOMMENDED", "Recommended"], ["OPTIONAL", "Optional"]];
const $ = (selector) => document.querySelector(selector);

function node(tag, text = "", className = "") {
  const found = document.createElement(tag);
  if (text) found.textContent = text;
  if (className) found.className = className;
  return found;
}

function marks(link) {
  const found = [];
  if (link.hot) found.push(node("span", "hot", "mark hot"));
  if (link.inDemand) found.push(node("span", "in demand", "mark in-demand"));
  return found;
}

function sourcesText(sources) {
  return sources.length ? `Sources: ${sources.map((s) => `${s.publisher}, “${s.title}”`).join("; ")}.` : "";
}

export function renderRole(role) {
  $("#role-title").textContent = role.title;
  $("#role-summary").textContent = role.summary;
  const parts = [`Family: ${role.family}`];
  if (role.aliases.length) parts.push(`also called ${role.aliases.join(", ")}`);
  if (role.onetCodes.length) parts.push(`O*NET ${role.onetCodes.join(", ")}`);
  $("#role-meta").textContent = `${parts.join(" · ")}. ${sourcesText(role.sources)}`;
}

export function renderSkills(role) {
  const groups = IMPORTANCE.map(([importance, label]) => {
    const links = role.skills.filter((link) => link.importance === importance && link.skill);
    if (!links.length) return null;
    const group = node("div", "", "group");
    group.append(node("h3", `${label} (${links.length})`));
    const list = node("ul", "", "skill-list");
    for (const link of links) {
      const item = node("li");
      item.dataset.skill = link.skill.slug;
      item.title = link.skill.category;
      item.append(node("span", link.skill.name, "name"), ...marks(link));
      list.append(item);
    }
    group.append(list);
    return group;
  }).filter(Boolean);
  $("#skills .groups").replaceChildren(...groups);
}

export function renderDemand(role, age) {
  const demand = role.demand;
  const outlooks = demand.outlooks.map((o) => {
    const box = node("div", "", "outlook");
    const growth = o.growthPercent !== null ? `${o.growthPercent > 0 ? "+" : ""}${o.growthPercent}%` : "–";
    box.append(node("strong", growth, "figure"));
    const openings = o.openingsPerYear !== null ? `, ${o.openingsPerYear.toLocaleString("en")} openings a year` : "";
    box.append(node("span", ` growth ${o.period || ""} in ${o.region} (${o.subjectLabel})${openings}. `
      + `Source: ${o.source ? `${o.source.publisher}, “${o.source.title}”` : "not recorded"}.`));
    return box;
  });
  $("#demand .outlooks").replaceChildren(...(outlooks.length ? outlooks : [node("p", "No published outlook.")]));
  $("#demand .top-skills").replaceChildren(...demand.topSkills.filter((s) => s.skill).map((s) => {
    const item = node("li");
    item.append(node("span", s.skill.name, "name"), node("span", `needed by ${s.rolesNeeding} roles`,
      "category"), ...marks(s));
    return item;
  }));
  const stale = demand.stale ? " A newer computation is queued." : "";
  $("#demand .provenance").textContent = `Demand computed ${age(demand.computedAt)} from ${demand.sampleSize ?? 0} `
    + `observations; ${demand.hotSkillCount ?? 0} hot and ${demand.inDemandSkillCount ?? 0} in-demand skills.${stale}`;
}

export function renderPath(role, onChange) {
  const path = role.learningPaths[0];
  const section = $("#path");
  if (!path) {
    section.querySelector(".steps").replaceChildren(node("li", "No learning path for this role yet."));
    section.querySelector(".choices").replaceChildren();
    section.querySelector(".gap").textContent = "";
    section.querySelector(".provenance").textContent = "";
    return;
  }
  $("#path-title").textContent = `Learning path: ${path.title} (${path.totalHours} hours)`;
  section.querySelector(".steps").replaceChildren(...path.steps.map((step) => {
    const item = node("li");
    item.dataset.position = step.position;
    const hours = step.estimatedHours !== null ? `${step.estimatedHours} h` : "hours not given";
    item.append(node("span", step.title, "name"), node("span", hours, "hours"),
      node("span", step.skills.map((s) => s.name).join(", "), "category"));
    return item;
  }));
  const choices = role.skills.filter((link) => link.skill).map((link) => {
    const label = node("label");
    const box = node("input");
    box.type = "checkbox";
    box.value = link.skill.slug;
    box.addEventListener("change", onChange);
    label.append(box, document.createTextNode(` ${link.skill.name}`));
    return label;
  });
  section.querySelector(".choices").replaceChildren(...choices);
  section.querySelector(".provenance").textContent = sourcesText(path.sources);
}
