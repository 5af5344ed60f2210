// The actorgraph explorer: an actor's neighbourhood from the API, drawn with Cytoscape.js.
// Everything it shows comes from the same endpoints a notebook calls; the URL keeps the view.
"use strict";

const TYPES = ["PRESSURES", "FUNDS", "ATTACKS", "NEGOTIATES_WITH"];
const KINDS = ["government", "militia", "official", "bank", "organization", "person"];
const FORCE_LAYOUT_MAX_NODES = 300; // above this a force layout takes seconds: "Lay out" runs it
const state = {
  actors: [], types: new Set(TYPES), kinds: new Set(KINDS),
  since: "", until: "", min: 0, from: "", to: "",
};
let palette = null;
let cy = null;
const $ = (id) => document.getElementById(id);

// -- the API ---------------------------------------------------------------------------------

async function api(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) value.forEach((item) => url.searchParams.append(key, item));
    else if (value !== "" && value !== null && value !== undefined) url.searchParams.set(key, value);
  }
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  return body;
}

function period() {
  return { since: state.since, until: state.until };
}

// -- the state in the URL --------------------------------------------------------------------

function readHash() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const list = (key, all) => (params.has(key) ? params.get(key).split(",").filter((x) => all.includes(x)) : all);
  state.actors = params.get("actors") ? params.get("actors").split(",") : [];
  state.types = new Set(list("types", TYPES));
  state.kinds = new Set(list("kinds", KINDS));
  state.since = params.get("since") || "";
  state.until = params.get("until") || "";
  state.min = Number(params.get("min") || 0);
  state.from = params.get("from") || "";
  state.to = params.get("to") || "";
}

function writeHash() {
  const params = new URLSearchParams();
  if (state.actors.length) params.set("actors", state.actors.join(","));
  if (state.types.size < TYPES.length) params.set("types", [...state.types].join(","));
  if (state.kinds.size < KINDS.length) params.set("kinds", [...state.kinds].join(","));
  for (const key of ["since", "until", "from", "to"]) if (state[key]) params.set(key, state[key]);
  if (state.min > 0) params.set("min", String(state.min));
  window.history.replaceState(null, "", `#${params.toString()}`);
}

// -- status ----------------------------------------------------------------------------------

function status(message, isError = false) {
  const footer = $("status");
  footer.textContent = message;
  footer.classList.toggle("error", isError);
}

async function busy(work) {
  document.body.dataset.busy = "1";
  try {
    await work();
  } catch (error) {
    status(error.message, true);
  } finally {
    document.body.dataset.busy = "0";
  }
}

// -- the graph -------------------------------------------------------------------------------

function edgeId(source, type, target) {
  return `${source}|${type}|${target}`;
}

async function load() {
  writeHash();
  const networks = await Promise.all(state.actors.map((actor) =>
    api(`/actors/${encodeURIComponent(actor)}/network`, { depth: 1, types: [...state.types], ...period() })));
  const nodes = new Map();
  const edges = new Map();
  for (const network of networks) {
    for (const node of network.nodes) nodes.set(node.id, node);
    for (const edge of network.edges) edges.set(edgeId(edge.source, edge.type, edge.target), edge);
  }
  const centres = new Set(state.actors);
  const shown = (id) => centres.has(id) || (nodes.has(id) && state.kinds.has(nodes.get(id).kind));
  const kept = [...edges.values()].filter((e) => e.confidence >= state.min && shown(e.source) && shown(e.target));
  const used = new Set([...centres, ...kept.flatMap((e) => [e.source, e.target])]);
  draw(
    [...nodes.values()].filter((n) => used.has(n.id)),
    kept.map((e) => ({ ...e, id: edgeId(e.source, e.type, e.target) })),
    centres,
  );
  if (state.from && state.to) await findPath();
  status(state.actors.length ? `${cy.nodes().length} actors, ${cy.edges().length} relations` : "");
}

function draw(nodes, edges, centres) {
  // Actors already drawn keep their place; a layout runs only when new ones come.
  const positions = new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }]));
  cy.elements().remove();
  cy.add([
    ...nodes.map((n) => ({
      group: "nodes", data: { ...n }, classes: centres.has(n.id) ? "centre" : "",
      position: positions.get(n.id),
    })),
    ...edges.map((e) => ({ group: "edges", data: e })),
  ]);
  if (cy.nodes().some((n) => !positions.has(n.id()))) layout(cy.nodes().length <= FORCE_LAYOUT_MAX_NODES);
}

function layout(force = true) {
  const options = force
    ? { name: "cose", animate: false, nodeDimensionsIncludeLabels: true, idealEdgeLength: () => 110,
        nodeRepulsion: () => 600000, padding: 40, randomize: true }
    : { name: "concentric", animate: false, nodeDimensionsIncludeLabels: true, minNodeSpacing: 30,
        concentric: (node) => node.degree(), levelWidth: () => 2 };
  cy.layout(options).run();
}

function style() {
  const width = (edge) => 1.5 + 2 * Math.log2(1 + edge.data("evidence_count"));
  return [
    { selector: "node", style: {
      "background-color": (node) => palette.kinds[node.data("kind")] || "#A5ABB6",
      label: "data(name)", "font-size": 11, "min-zoomed-font-size": 8, "text-valign": "bottom",
      "text-margin-y": 3, width: 24, height: 24, "text-wrap": "ellipsis", "text-max-width": "140px",
      "text-background-color": "#ffffff", "text-background-opacity": 0.7 } },
    { selector: "node.centre", style: { "border-width": 3, "border-color": "#2a2c34" } },
    { selector: "edge", style: {
      "line-color": (edge) => palette.types[edge.data("type")],
      "target-arrow-color": (edge) => palette.types[edge.data("type")],
      "target-arrow-shape": "triangle", "curve-style": "bezier", width, opacity: 0.85 } },
    { selector: "edge.path", style: { "line-style": "dashed", "line-dash-pattern": [8, 3], opacity: 1 } },
    { selector: ":selected", style: { "overlay-color": "#2a2c34", "overlay-opacity": 0.15 } },
  ];
}

// -- details ---------------------------------------------------------------------------------

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

async function showEvidence(edge) {
  const { source, type, target } = edge.data();
  const answer = await api("/relations", {
    source, target, type, evidence_limit: 20, min_confidence: state.min, ...period(),
  });
  const details = $("details");
  details.replaceChildren();
  const relation = answer.relations[0];
  if (!relation) {
    details.append(element("p", "No evidence passes the filters."));
    return;
  }
  details.append(element("h2", `${relation.source.name} ${relation.type} ${relation.target.name}`));
  details.append(element("p",
    `${relation.evidence_count} evidence, confidence ${relation.confidence}` +
    (relation.first_seen ? `, ${relation.first_seen} to ${relation.last_seen}` : ""), "meta"));
  for (const item of relation.evidence) {
    const block = element("div", undefined, "evidence");
    block.append(element("p", item.sentence));
    block.append(element("p", `${item.article_title} (${item.date || "undated"}), confidence ${item.confidence}`, "meta"));
    const why = item.model
      ? `model ${item.model}; ${item.features.slice(0, 4).join(", ")}`
      : `pattern ${item.pattern}`;
    block.append(element("p", `Why: ${why}`, "why"));
    details.append(block);
  }
}

async function findPath() {
  const answer = await api("/paths", { from: state.from, to: state.to, max_hops: 3, ...period() });
  const details = $("details");
  details.replaceChildren(element("h2", `${answer.source.name} to ${answer.target.name}`));
  if (!answer.paths.length) {
    details.append(element("p", "No path of at most 3 relations."));
    return;
  }
  for (const path of answer.paths) {
    for (const actor of path.actors) {
      if (!cy.getElementById(actor.id).length) cy.add({ group: "nodes", data: { ...actor } });
    }
    const steps = path.hops.map((hop) => {
      const id = edgeId(hop.source.id, hop.type, hop.target.id);
      if (!cy.getElementById(id).length) {
        cy.add({ group: "edges", data: { id, source: hop.source.id, target: hop.target.id,
          type: hop.type, evidence_count: hop.evidence_count, confidence: hop.confidence } });
      }
      cy.getElementById(id).addClass("path");
      return `${hop.source.name} ${hop.type} ${hop.target.name}`;
    });
    details.append(element("p", steps.join(" · ")));
  }
  layout(cy.nodes().length <= FORCE_LAYOUT_MAX_NODES);
}

// -- controls --------------------------------------------------------------------------------

function checkboxes(fieldset, values, chosen, colours, onChange) {
  for (const value of values) {
    const label = element("label");
    const box = element("input");
    box.type = "checkbox";
    box.value = value;
    box.checked = chosen.has(value);
    box.addEventListener("change", () => {
      if (box.checked) chosen.add(value); else chosen.delete(value);
      onChange();
    });
    const swatch = element("span", undefined, "swatch");
    swatch.style.background = colours[value];
    label.append(box, swatch, value.toLowerCase().replace("_", " "));
    fieldset.append(label);
  }
}

function legend() {
  const box = $("legend");
  const rows = (colours, marker) => Object.entries(colours).map(([label, colour]) => {
    const row = element("div");
    const mark = element("span", undefined, marker);
    mark.style.background = colour;
    row.append(mark, label);
    return row;
  });
  box.append(...rows(palette.kinds, "swatch"), ...rows(palette.types, "line"));
  box.append(element("div", "Edge width: evidence count", "meta"));
}

function addActor(id) {
  if (!state.actors.includes(id)) state.actors.push(id);
  return busy(load);
}

function setUpSearch() {
  const input = $("search");
  const list = $("matches");
  let timer = null;
  let matches = [];
  const show = () => {
    list.replaceChildren(...matches.map((actor, index) => {
      const item = element("li", actor.name);
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", index === 0 ? "true" : "false");
      item.append(element("span", actor.kind, "kind"));
      item.addEventListener("mousedown", () => choose(actor));
      return item;
    }));
    list.hidden = matches.length === 0;
  };
  const choose = (actor) => {
    input.value = "";
    matches = [];
    show();
    addActor(actor.id);
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) { matches = []; show(); return; }
    timer = setTimeout(() => busy(async () => {
      matches = (await api("/actors", { q: text, limit: 8 })).actors;
      show();
    }), 200);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && matches.length) choose(matches[0]);
    if (event.key === "Escape") { matches = []; show(); }
  });
  input.addEventListener("blur", () => setTimeout(() => { list.hidden = true; }, 150));
}

function setUpFilters() {
  const reload = () => busy(load);
  checkboxes($("type-filter"), TYPES, state.types, palette.types, reload);
  checkboxes($("kind-filter"), KINDS, state.kinds, palette.kinds, reload);
  for (const key of ["since", "until"]) {
    $(key).value = state[key];
    $(key).addEventListener("change", () => { state[key] = $(key).value; reload(); });
  }
  const slider = $("min-confidence");
  slider.value = String(state.min);
  $("min-confidence-value").textContent = String(state.min);
  slider.addEventListener("input", () => { $("min-confidence-value").textContent = slider.value; });
  slider.addEventListener("change", () => { state.min = Number(slider.value); reload(); });
  $("layout").addEventListener("click", () => layout(true));
  $("clear").addEventListener("click", () => {
    state.actors = [];
    state.from = state.to = "";
    $("details").replaceChildren();
    reload();
  });
  $("path-from").value = state.from;
  $("path-to").value = state.to;
  $("path-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.from = $("path-from").value.trim();
    state.to = $("path-to").value.trim();
    writeHash();
    busy(findPath);
  });
}

async function start() {
  readHash();
  palette = await api("/static/explorer/palette.json");
  cy = cytoscape({ container: $("graph"), style: style(), wheelSensitivity: 0.3, minZoom: 0.05 });
  cy.on("tap", "edge", (event) => busy(() => showEvidence(event.target)));
  cy.on("tap", "node", (event) => addActor(event.target.id()));
  legend();
  setUpSearch();
  setUpFilters();
  await busy(load);
}

window.explorer = { state, get cy() { return cy; }, ready: start() };
