// Usage: node mermaid-check.mjs FILE...
//
// Parses each Mermaid flowchart with the mermaid package (in a jsdom
// window, as Mermaid needs a DOM) and prints, as one JSON object keyed by
// file, what Mermaid read: the parse error if any, the configuration
// directives set, the nodes,
// subgraphs and edges with their text as a browser would show it (Mermaid's
// entity codes decoded, then the HTML turned into text), and any click
// handlers or links, so that Go tests can check labels stayed plain text.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const mermaid = (await import('mermaid')).default;
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

// shown turns a label as Mermaid stores it into the text a reader sees.
function shown(text) {
  if (text == null) return null;
  const html = String(text).replace(/ﬂ°°/g, '&#').replace(/ﬂ°/g, '&').replace(/¶ß/g, ';');
  const div = document.createElement('div');
  div.innerHTML = html;
  for (const br of [...div.querySelectorAll('br')]) br.replaceWith('\n');
  return div.textContent;
}

async function check(text) {
  let diagram, parsed;
  try {
    // parse runs Mermaid's whole front end (front matter, directives,
    // comments); its config shows what any directive set.
    parsed = await mermaid.parse(text);
    diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  } catch (e) {
    return { error: String(e && e.message ? e.message : e) };
  }
  const db = diagram.db;
  const nodes = [...db.getVertices().values()].map((v) => ({
    id: v.id, text: shown(v.text), type: v.type ?? null, classes: v.classes, link: v.link ?? null,
  }));
  const subgraphs = db.getSubGraphs().map((s) => ({ id: s.id, title: shown(s.title), nodes: s.nodes }));
  const edges = db.getEdges().map((e) => ({ from: e.start, to: e.end, text: shown(e.text), stroke: e.stroke, style: e.style ?? [] }));
  return {
    type: diagram.type, config: parsed.config,
    // funs always holds the tooltip setup; click statements add to it.
    nodes, subgraphs, edges, clicks: (db.funs || []).length - 1, tooltips: Object.keys(db.tooltips || {}).length,
  };
}

const out = {};
for (const file of process.argv.slice(2)) out[file] = await check(readFileSync(file, 'utf8'));
process.stdout.write(JSON.stringify(out) + '\n');
