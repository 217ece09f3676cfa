// The citeindex search page. Everything shown comes from the JSON API and is
// put on the page as text nodes: statements are untrusted text from the web,
// so no server string is ever parsed as HTML. The URL holds the whole search,
// so a search can be bookmarked, shared and navigated with Back.
"use strict";

const FILTERS = ["section", "type", "author", "year", "doi"];
const PAGE = 10;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function params() {
  return new URLSearchParams(location.search);
}

function go(next) {
  const query = next.toString();
  history.pushState(null, "", query ? "/?" + query : "/");
  load();
}

function withParam(key, value) {
  const next = params();
  if (value === null) next.delete(key); else next.set(key, value);
  next.delete("offset");
  return next;
}

// `text` with the UTF-16 ranges in `marks` wrapped in <mark>.
function highlighted(text, marks) {
  const out = el("p", { class: "text" });
  let at = 0;
  for (const [start, end] of marks || []) {
    if (start < at || end > text.length) continue;
    out.append(document.createTextNode(text.slice(at, start)));
    out.append(el("mark", {}, text.slice(start, end)));
    at = end;
  }
  out.append(document.createTextNode(text.slice(at)));
  return out;
}

function paperLink(doi, text) {
  const target = new URLSearchParams({ paper: doi });
  return el("a", { href: "/?" + target, onclick: (e) => { e.preventDefault(); go(target); } }, text);
}

function hitView(hit, marks) {
  const year = hit.year ? " (" + hit.year + ")" : "";
  const name = hit.title || "(untitled)";
  const title = el("h3", {}, hit.rank + ". ", hit.doi ? paperLink(hit.doi, name) : name, year);
  const meta = el("div", { class: "meta" },
    (hit.section || "section unknown"), " · ",
    el("span", { class: "type-" + (hit.type || "unknown") }, hit.type || "type unknown"), " · ",
    hit.confidence === null ? "confidence unknown" : hit.confidence + "%", " · ",
    hit.path + (hit.position ? ":" + hit.position : ""));
  if (hit.doi) {
    meta.append(" · ", el("a", { href: "/?" + new URLSearchParams({ q: "*", doi: hit.doi }) }, "doi:" + hit.doi));
  }
  const cited = hit.cited.length
    ? el("div", { class: "cited" }, "cites " + hit.cited.map(c => c.author + " " + (c.year || "n.d.")).join(", "))
    : null;
  return el("article", { class: "hit" }, title, meta, highlighted(hit.text, marks), cited);
}

function facetList(name, label, counts, current) {
  let entries = Object.entries(counts);
  if (name === "year") entries.sort((a, b) => b[0].localeCompare(a[0]));
  else entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const list = el("ul", {});
  for (const [value, count] of entries) {
    const on = current === value;
    const usable = value !== "unknown";
    const button = el("button", {
      type: "button", class: on ? "on" : "", "data-facet": name, "data-value": value,
      onclick: () => usable && go(withParam(name, on ? null : value)),
    }, el("span", {}, value), el("span", { class: "count" }, count));
    if (!usable) button.disabled = true;
    list.append(el("li", {}, button));
  }
  return [el("h2", {}, label), list];
}

// The page's tallies as one bar, a segment per citation type, and in words.
function tallyView(tally) {
  const types = ["supporting", "mentioning", "contrasting"];
  const counts = types.map(t => tally[t] || 0);
  const all = counts.reduce((a, b) => a + b, 0);
  if (!all) return el("p", { class: "summary" }, "The page shows no tallies.");
  const bar = el("div", { class: "bar", role: "img",
    "aria-label": types.map((t, i) => counts[i] + " " + t).join(", ") });
  types.forEach((t, i) => {
    if (!counts[i]) return;
    const part = el("span", { class: "type-" + t, title: counts[i] + " " + t });
    // CSSOM, not a style attribute: the page's policy allows no inline styles.
    part.style.flexGrow = String(counts[i]);
    bar.append(part);
  });
  const words = el("p", { class: "tally" }, ...types.flatMap((t, i) =>
    [i ? " · " : "", el("span", { class: "type-" + t }, counts[i] + " " + t)]));
  return el("div", { class: "tallies" }, bar, words);
}

function statementView(s) {
  const meta = el("div", { class: "meta" },
    "#" + (s.position || "?"), " · ", (s.section || "section unknown"), " · ",
    el("span", { class: "type-" + (s.type || "unknown") }, s.type || "type unknown"), " · ",
    s.confidence === null ? "confidence unknown" : s.confidence + "%");
  const cited = s.cited.length
    ? el("div", { class: "cited" }, "cites " + s.cited.map(c => c.author + " " + (c.year || "n.d.")).join(", "))
    : null;
  return el("article", { class: "hit" }, meta, el("p", { class: "text" }, s.text), cited);
}

// One paper: its title, its page's tallies, and every indexed statement
// about it in the order of its page.
async function paperView(doi) {
  const results = document.getElementById("results");
  document.getElementById("facets").replaceChildren();
  document.getElementById("pager").replaceChildren();
  results.replaceChildren(el("p", { class: "summary" }, "Loading…"));
  let body;
  try {
    const response = await fetch("/api/paper/" + encodeURIComponent(doi).replace(/%2F/gi, "/"));
    body = await response.json();
    if (!response.ok) return showError(body.error || ("error " + response.status));
  } catch (e) {
    return showError("The server did not answer: " + e);
  }
  const back = el("a", { href: "/", class: "back", onclick: (e) => { e.preventDefault(); history.back(); } }, "← back");
  const year = body.year ? " (" + body.year + ")" : "";
  results.replaceChildren(
    el("div", { class: "paper" },
      back,
      el("h2", {}, (body.title || "(untitled)") + year),
      el("div", { class: "meta" }, "doi:" + body.doi, " · ", body.files.join(", ")),
      tallyView(body.tally),
      el("p", { class: "summary" }, body.statements.length + " indexed statements, in page order")),
    ...body.statements.map(statementView));
}

// The last reference list checked, shown again on coming back from a
// paper: the list itself is never kept anywhere but in this page.
let lastCheck = null;

// The "Check references" view: a file dropped or chosen is sent to
// /api/check, and each reference comes back found, contested or missing.
function checkView() {
  document.getElementById("facets").replaceChildren();
  document.getElementById("pager").replaceChildren();
  const input = el("input", { type: "file", id: "check-file",
    accept: ".bib,.bibtex,.ris,.json,.txt,.md,text/plain,application/json" });
  input.addEventListener("change", () => input.files[0] && sendList(input.files[0]));
  const zone = el("label", { class: "dropzone", for: "check-file" },
    "Drop a reference list here (.bib, .ris, CSL .json, or text with DOIs), or ",
    el("span", { class: "pick" }, "choose a file"), input);
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    if (e.dataTransfer.files[0]) sendList(e.dataTransfer.files[0]);
  });
  document.getElementById("results").replaceChildren(el("div", { class: "check" },
    el("h2", {}, "Check references"),
    el("p", { class: "summary" }, "Each reference of a manuscript's list, looked up in the saved " +
      "reports: found (and contested or not), or with no saved report yet. The file goes to this " +
      "server only, which does not store it."),
    zone, el("div", { id: "check-results", "aria-live": "polite" })));
  if (lastCheck) showChecked(lastCheck);
}

async function sendList(file) {
  const out = document.getElementById("check-results");
  out.replaceChildren(el("p", { class: "summary" }, "Checking " + file.name + "…"));
  let response, text;
  try {
    response = await fetch("/api/check?" + new URLSearchParams({ name: file.name }),
      { method: "POST", body: file });
    text = await response.text();
  } catch (e) {
    return out.replaceChildren(el("div", { class: "error", role: "alert" }, "The server did not answer: " + e));
  }
  if (!response.ok) {
    let message = "error " + response.status;
    try { message = JSON.parse(text).error; } catch (_) { /* the status says it */ }
    return out.replaceChildren(el("div", { class: "error", role: "alert" }, message));
  }
  lastCheck = { name: file.name, rows: text.split("\n").filter(l => l).map(l => JSON.parse(l)) };
  showChecked(lastCheck);
}

function checkedStatus(row) {
  if (row.status === "no report") {
    return el("span", { class: "missing" }, "no report: ",
      el("a", { href: row.report, target: "_blank", rel: "noopener noreferrer" }, "save it"));
  }
  if (row.status === "no doi") return el("span", { class: "missing" }, "no DOI, title not found");
  const share = row.contrasting_share === null ? "" : " (" + Math.round(row.contrasting_share * 100) + "% contrasting)";
  const by = row.matched_by === "title" ? " · by title" : "";
  return row.contested
    ? el("span", { class: "contested" }, "contested" + share + by)
    : el("span", {}, "found" + by);
}

function showChecked({ name, rows }) {
  const n = (v) => (v === null || v === undefined ? "?" : String(v));
  const body = rows.map((row) => {
    const title = row.title || "(untitled)";
    const tally = row.tally || {};
    const found = row.status === "found";
    return el("tr", { class: row.contested ? "contested-row" : (found ? "" : "missing-row") },
      el("td", {}, row.key), el("td", {}, row.year || ""),
      el("td", {}, found && row.doi ? paperLink(row.doi, title) : title),
      el("td", { class: "num" }, found ? n(tally.supporting) : ""),
      el("td", { class: "num" }, found ? n(tally.mentioning) : ""),
      el("td", { class: "num" }, found ? n(tally.contrasting) : ""),
      el("td", {}, checkedStatus(row)));
  });
  const head = el("tr", {}, ...["Key", "Year", "Title", "Supporting", "Mentioning", "Contrasting", "Status"]
    .map(h => el("th", {}, h)));
  const count = (status) => rows.filter(r => r.status === status).length;
  const summary = rows.length + " references in " + name + ": " + count("found") + " found, " +
    count("no report") + " no report, " + count("no doi") + " no DOI; " +
    rows.filter(r => r.contested).length + " contested";
  const statements = rows.filter(r => r.contrasting.length).flatMap(r => [
    el("h3", {}, r.key + " · " + (r.title || "(untitled)")), ...r.contrasting.map(statementView)]);
  document.getElementById("check-results").replaceChildren(
    el("p", { class: "summary", id: "check-summary" }, summary),
    el("table", { class: "checked" }, el("thead", {}, head), el("tbody", {}, ...body)),
    statements.length ? el("h2", {}, "Contrasting statements") : null, ...statements);
}

// What to say above the hits: how many, which are shown, or why none.
function summaryLine(body, shown, filtered) {
  if (body.total === 0) {
    return "Nothing matched." + (filtered
      ? " Remove a filter (above) to widen the search."
      : " Try other words, or fewer of them.");
  }
  if (shown === 0) return body.total + " statements; none on this page.";
  return body.total + " statements; " + (body.offset + 1) + "–" + (body.offset + shown) +
    " shown (" + body.took_ms.toFixed(1) + " ms)";
}

function showError(message) {
  document.getElementById("results").replaceChildren(el("div", { class: "error", role: "alert" }, message));
  document.getElementById("facets").replaceChildren();
  document.getElementById("pager").replaceChildren();
}

async function load() {
  const p = params();
  document.getElementById("q").value = p.get("q") || "";
  document.getElementById("sort").value = p.get("sort") || "relevance";
  const active = document.getElementById("active");
  active.replaceChildren(...FILTERS.filter(k => p.get(k)).map(k =>
    el("button", { type: "button", class: "chip", title: "remove", onclick: () => go(withParam(k, null)) },
      k + ": " + p.get(k) + " ×")));
  const results = document.getElementById("results");
  if (p.get("paper")) return paperView(p.get("paper"));
  if (p.get("view") === "check") return checkView();
  if (!p.get("q") && !FILTERS.some(k => p.get(k))) {
    results.replaceChildren(el("p", { class: "summary" }, "Type a query above."));
    document.getElementById("facets").replaceChildren();
    document.getElementById("pager").replaceChildren();
    try {
      const stats = await (await fetch("/api/stats")).json();
      results.replaceChildren(el("p", { class: "summary" },
        stats.statements + " statements about " + stats.papers + " papers, from " + stats.pages + " saved pages. Type a query above."));
    } catch (_) { /* the hint stays */ }
    return;
  }
  const api = new URLSearchParams(p);
  api.set("limit", String(PAGE));
  results.replaceChildren(el("p", { class: "summary" }, "Searching…"));
  let body;
  try {
    const response = await fetch("/api/search?" + api);
    body = await response.json();
    if (!response.ok) return showError(body.error || ("error " + response.status));
  } catch (e) {
    return showError("The server did not answer: " + e);
  }
  const shown = body.hits.length;
  const filtered = FILTERS.some(k => p.get(k));
  results.replaceChildren(
    el("p", { class: "summary" }, summaryLine(body, shown, filtered)),
    ...body.hits.map((hit, i) => hitView(hit, body.marks[i])));
  document.getElementById("facets").replaceChildren(
    ...facetList("section", "Section", body.facets.section, p.get("section")),
    ...facetList("type", "Type", body.facets.type, p.get("type")),
    ...facetList("year", "Year", body.facets.year, p.get("year")));
  const pager = document.getElementById("pager");
  pager.replaceChildren();
  const page = (offset, label, rel) => {
    const next = params();
    if (offset) next.set("offset", String(offset)); else next.delete("offset");
    return el("a", { href: "/?" + next, rel, onclick: (e) => { e.preventDefault(); go(next); } }, label);
  };
  if (body.offset > 0) pager.append(page(Math.max(0, body.offset - PAGE), "← previous", "prev"));
  if (body.offset + shown < body.total) pager.append(page(body.offset + PAGE, "next →", "next"));
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("search").addEventListener("submit", (event) => {
    event.preventDefault();
    const next = params();
    next.set("q", document.getElementById("q").value);
    const sort = document.getElementById("sort").value;
    if (sort === "relevance") next.delete("sort"); else next.set("sort", sort);
    next.delete("offset");
    go(next);
  });
  document.getElementById("check-link").addEventListener("click", (event) => {
    event.preventDefault();
    go(new URLSearchParams({ view: "check" }));
  });
  window.addEventListener("popstate", load);
  load();
});
