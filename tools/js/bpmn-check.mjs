// Usage: node bpmn-check.mjs FILE...
//
// Reads each BPMN 2.0 document with bpmn-moddle (the parser bpmn.io uses),
// lints it with bpmnlint's recommended configuration and prints, as one
// JSON object keyed by file: the parser's warnings, the lint reports, and
// the elements as bpmn-moddle read them (type, id, name, documentation,
// condition), so that Go tests can check what the real tools saw.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import BpmnModdle from 'bpmn-moddle';

const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

async function check(xml) {
  // A fresh linter per file: some rules keep state between lint calls.
  const linter = new Linter({ config: { extends: 'bpmnlint:recommended' }, resolver: new NodeResolver() });
  const moddle = new BpmnModdle();
  const { rootElement: definitions, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions');
  const reports = await linter.lint(definitions);
  const lint = [];
  for (const [rule, list] of Object.entries(reports)) {
    for (const r of list) lint.push({ rule, id: r.id, message: r.message, category: r.category });
  }
  const elements = [];
  const docs = (e) => (e.documentation || []).map((d) => d.text);
  for (const root of definitions.rootElements || []) {
    if (root.$type === 'bpmn:Collaboration') {
      for (const p of root.participants || []) elements.push({ type: p.$type, id: p.id, name: p.name ?? null });
    }
    if (root.$type !== 'bpmn:Process') continue;
    for (const ls of root.laneSets || []) {
      for (const l of ls.lanes || []) {
        elements.push({ type: l.$type, id: l.id, name: l.name ?? null, refs: (l.flowNodeRef || []).map((n) => n.id) });
      }
    }
    for (const e of root.flowElements || []) {
      const el = { type: e.$type, id: e.id, name: e.name ?? null, documentation: docs(e) };
      if (e.conditionExpression) el.condition = e.conditionExpression.body;
      if (e.sourceRef) {
        el.source = e.sourceRef.id;
        el.target = e.targetRef.id;
      }
      elements.push(el);
    }
  }
  return { warnings: warnings.map((w) => w.message), lint, elements };
}

const out = {};
for (const file of process.argv.slice(2)) out[file] = await check(readFileSync(file, 'utf8'));
process.stdout.write(JSON.stringify(out) + '\n');
