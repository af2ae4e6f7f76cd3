// eidos recipe explorer: a client of this server's public API only (docs/explorer.md).
// Every value that comes from a recipe, a snapshot or a report reaches the page as text
// (Text nodes and textContent), never as HTML; no inline script or style (CSP).

const $ = (id) => document.getElementById(id);
const LABELS = {
  service: 'Service', gpu: 'Accelerator', os: 'OS', intent: 'Intent', platform: 'Platform',
  nodes: 'Nodes', osv: 'OS version', kernel: 'Kernel', k8s: 'Kubernetes',
};
const PRIMARY = ['service', 'gpu', 'os', 'intent', 'platform', 'nodes'];
const STATUSES = ['pass', 'fail', 'warn', 'skip'];

let CRITERIA = [];          // GET /v1/criteria entries, in wire order
let ALIASES = {};           // alias -> criterion
let state = { a: {}, b: {}, compare: false };
let shown = { a: null, b: null };
let bundleParams = [];      // query parameters of POST /v1/bundle (from /openapi.json)
let seq = 0;

function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = v;
    else if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat(3)) {
    if (kid !== null && kid !== undefined && kid !== false) el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
}

const show = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
const describe = (set) => Object.entries(set).map(([k, v]) => `${k}=${v}`).join(', ') || 'any';
const shq = (v) => (/^[\w.,:=/+@%-]+$/.test(v) ? v : `'${String(v).replace(/'/g, "'\\''")}'`);

function say(id, text, bad) {
  const el = $(id);
  el.textContent = text;
  el.classList.toggle('error', !!bad);
}

async function apiError(res) {
  try {
    const body = await res.json();
    if (body && body.message) return new Error(`${body.code || res.status}: ${body.message}`);
  } catch (e) { /* not JSON */ }
  return new Error(`HTTP ${res.status} ${res.statusText}`);
}

async function getText(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw await apiError(res);
  return res.text();
}

// Integers past 2^53 (systemd's 18446744073709551615) keep their digits (as text), where
// the browser tells the reviver the source; documents sent back are the server's own text.
const exact = (k, v, ctx) => (typeof v === 'number' && !Number.isSafeInteger(v) && ctx &&
  /^-?\d+$/.test(ctx.source || '') ? ctx.source : v);
const getJson = async (url) => JSON.parse(await getText(url), exact);

// ---- criteria, pickers and the URL ----

function field(set, c) {
  const id = `${set}-${c.name}`;
  let control;
  if (c.kind === 'enum') {
    control = h('select', { id, name: c.name },
      h('option', { value: '' }, 'any'), c.values.map((v) => h('option', { value: v }, v)));
  } else {
    const known = `${id}-known`;
    control = h('input', {
      id, name: c.name, type: 'text', list: known, autocomplete: 'off', spellcheck: 'false',
      inputmode: c.kind === 'count' ? 'numeric' : null,
      placeholder: c.kind === 'count' ? 'any, e.g. 8' : `any, e.g. ${c.example}`,
    });
    control = [control, h('datalist', { id: known }, c.known.map((v) => h('option', { value: v })))];
  }
  return h('div', { class: 'field' }, h('label', { for: id }, LABELS[c.name] || c.description), control);
}

function buildPickers(set) {
  const box = $(`set-${set}`);
  const main = CRITERIA.filter((c) => PRIMARY.includes(c.name) || c.kind !== 'version');
  const more = CRITERIA.filter((c) => !main.includes(c));
  box.append(h('div', { class: 'grid' }, main.map((c) => field(set, c))));
  if (more.length) {
    box.append(h('details', { id: `${set}-more` },
      h('summary', {}, 'Versions: ', more.map((c) => LABELS[c.name] || c.name).join(', ')),
      h('div', { class: 'grid' }, more.map((c) => field(set, c)))));
  }
}

function readPickers(set) {
  const out = {};
  for (const c of CRITERIA) {
    const v = $(`${set}-${c.name}`).value.trim();
    if (v && v.toLowerCase() !== 'any') out[c.name] = v;
  }
  return out;
}

function setPickers(set, values) {
  for (const c of CRITERIA) {
    let v = values[c.name] || '';
    if (c.kind === 'enum') v = v.toLowerCase();
    $(`${set}-${c.name}`).value = v;
  }
  const more = $(`${set}-more`);
  if (more && CRITERIA.some((c) => c.kind === 'version' && values[c.name])) more.open = true;
}

function readUrl() {
  const out = { a: {}, b: {}, compare: false };
  for (const [key, raw] of new URLSearchParams(location.search)) {
    const b = key.startsWith('vs.');
    const name = b ? key.slice(3) : key;
    const crit = ALIASES[name] || name;
    if (b) out.compare = true;
    const set = b ? out.b : out.a;
    const v = raw.trim();
    if (!CRITERIA.some((c) => c.name === crit) || !v || v.toLowerCase() === 'any') continue;
    if (crit === name || !(crit in set)) set[crit] = v;  // the criterion wins over its alias
  }
  const order = (set) => Object.fromEntries(CRITERIA.filter((c) => c.name in set).map((c) => [c.name, set[c.name]]));
  return { a: order(out.a), b: order(out.b), compare: out.compare };
}

function toQuery(set, prefix = '') {
  const q = new URLSearchParams();
  for (const c of CRITERIA) if (set[c.name]) q.append(prefix + c.name, set[c.name]);
  return q;
}

function pageQuery(st) {
  const q = toQuery(st.a);
  if (st.compare) {
    const b = toQuery(st.b, 'vs.');
    if (![...b.keys()].length) b.append(`vs.${CRITERIA[0].name}`, 'any');
    for (const [k, v] of b) q.append(k, v);
  }
  return q.toString();
}

function onPick(ev) {
  if (ev && ev.target === $('compare-on') && ev.target.checked) setPickers('b', readPickers('a'));
  state = { a: readPickers('a'), b: readPickers('b'), compare: $('compare-on').checked };
  const q = pageQuery(state);
  if (q !== location.search.slice(1)) history.pushState(null, '', q ? `?${q}` : location.pathname);
  render();
}

function apply(st) {
  state = st;
  setPickers('a', st.a);
  setPickers('b', st.b);
  $('compare-on').checked = st.compare;
  render();
}

// ---- the recipe ----

async function render() {
  const mine = ++seq;
  const st = state;
  $('set-b').hidden = !st.compare;
  document.body.dataset.busy = '1';
  say('status', 'Loading the recipe…');
  try {
    const get = (set) => getJson(`/v1/recipe?${toQuery(set)}${Object.keys(set).length ? '&' : ''}context=true`);
    const [a, b] = await Promise.all([get(st.a), st.compare ? get(st.b) : null]);
    if (mine !== seq) return;
    shown = { a, b };
    showRecipe(a, st.a);
    showCompare(a, b, st);
    document.title = `eidos · ${describe(st.a)}`;
    say('status', `Recipe for ${describe(st.a)}: ${a.componentRefs.length} components, ` +
      `${a.constraints.length} constraints, ${a.matchedRules.length} overlays matched.`);
    $('recipe').hidden = false;
  } catch (e) {
    if (mine !== seq) return;
    shown = { a: null, b: null };
    $('recipe').hidden = true;
    $('compare').hidden = true;
    say('status', e.message, true);
  }
  if (mine === seq) Object.assign(document.body.dataset, { busy: '0', rendered: String(mine) });
}

function reading(recipe, type, subtype, key) {
  const m = (recipe.measurements || []).find((x) => x.type === type);
  const s = m && m.subtypes.find((x) => x.subtype === subtype);
  return s && s.data ? s.data[key] : undefined;
}

function flatten(value, prefix, out) {
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = value;
  }
  return out;
}

function rows(tbody, list) {
  tbody.replaceChildren(...list.map((cells) => h('tr', {}, cells.map((c) => (c instanceof Node ? c : h('td', {}, c))))));
}

function table(head, list) {
  const t = h('table', {}, h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))), h('tbody'));
  rows(t.tBodies[0], list);
  return h('div', { class: 'scroll' }, t);
}

function compactRule(rule) {
  const pairs = [];
  for (const part of rule.split(/, (?=[A-Za-z0-9]+: )/)) {
    const at = part.indexOf(': ');
    const label = part.slice(0, at).toLowerCase();
    const words = part.slice(at + 2).split(' ');
    if (label === 'context') continue;
    if (label === 'os') {
      if (words[0] !== 'any') pairs.push(`os=${words[0]}`);
      if (words[1] && words[1] !== 'any') pairs.push(`osv=${words[1]}`);
    } else if (part.slice(at + 2) !== 'any') {
      pairs.push(`${label}=${part.slice(at + 2)}`);
    }
  }
  return pairs.join(', ') || 'any';
}

function components(recipe) {
  const refs = new Map((recipe.componentRefs || []).map((r) => [r.name, r]));
  const order = recipe.deploymentOrder || [...refs.keys()];
  return order.filter((n) => refs.has(n)).map((n) => refs.get(n));
}

function facts(r, crit) {
  const gpuOp = (r.componentRefs || []).find((c) => c.name === 'gpu-operator');
  return [
    ['criteria', 'Criteria', describe(crit)],
    ['driver', 'NVIDIA driver', reading(r, 'K8s', 'image', 'driver') ?? '—'],
    ['gpu-operator', 'GPU Operator', gpuOp && gpuOp.chart ? gpuOp.chart.version : '—'],
    ['components', 'Components', String((r.componentRefs || []).length)],
    ['constraints', 'Constraints', String((r.constraints || []).length)],
    ['version', 'Recipe version', (r.metadata || {})['recipe-version'] || '—'],
  ];
}

function showRecipe(r, crit) {
  $('summary').replaceChildren(...facts(r, crit).map(([id, dt, dd]) =>
    h('div', {}, h('dt', {}, dt), h('dd', { id: `summary-${id}` }, show(dd)))));
  const comps = components(r);
  rows($('components').tBodies[0], comps.map((c, i) => {
    const chart = c.chart || {};
    return [String(i + 1), h('th', { scope: 'row' }, c.name),
      chart.name ? `${chart.name} (${chart.repository || ''})` : c.type || '',
      chart.version || '', c.namespace || '', (c.dependencyRefs || []).join(', ')];
  }));
  $('values').replaceChildren(...comps.map((c) => {
    const flat = flatten(c.values || {}, '', {});
    const ctx = c.context || {};
    const keys = Object.keys(flat).filter((k) => k);
    return h('details', { class: 'values' },
      h('summary', {}, `${c.name} values (${keys.length})`),
      table(['Path', 'Value', 'Set by'], keys.map((k) => [k, show(flat[k]), ctx[k] || ''])));
  }));
  rows($('constraints').tBodies[0], (r.constraints || []).map((c) =>
    [h('td', {}, h('code', {}, c.check)), c.severity || '', c.reason || '', c.source || '']));
  $('measurements').replaceChildren(...(r.measurements || []).flatMap((m) => m.subtypes.map((s) => {
    const data = s.data || {};
    const ctx = s.context || {};
    return h('details', { class: 'measure' },
      h('summary', {}, `${m.type} · ${s.subtype} (${Object.keys(data).length})`),
      table(['Key', 'Value', 'Why'], Object.keys(data).map((k) => [k, show(data[k]), ctx[k] || ''])));
  })));
  $('overlays').replaceChildren(...(r.matchedRules || []).map((rule) => h('li', { title: rule }, compactRule(rule))));
  commands();
}

// ---- commands ready to copy ----

function bundleFlags() {
  const flags = [];
  for (const p of bundleParams) {
    for (const v of paramValues(p)) flags.push(v === true ? `--${p.name}` : `--${p.name} ${shq(v)}`);
  }
  return flags;
}

function commands() {
  const recipeFlags = Object.entries(state.a).map(([k, v]) => `--${k} ${shq(v)}`);
  const cmds = [
    ['recipe', ['eidos recipe', ...recipeFlags, '-o recipe.yaml'].join(' ')],
    ['bundle', ['eidos bundle -f recipe.yaml -o bundle', ...bundleFlags()].join(' ')],
  ];
  $('commands').replaceChildren(...cmds.map(([id, text]) => h('div', { class: 'cmd' },
    h('pre', {}, h('code', { id: `cmd-${id}` }, text)),
    h('button', { type: 'button', onclick: () => copy(id, text), 'aria-label': `Copy the eidos ${id} command` }, 'Copy'))));
}

async function copy(id, text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    const range = document.createRange();
    range.selectNodeContents($(`cmd-${id}`));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    if (!document.execCommand('copy')) { say('status', 'Selected the command: press Ctrl+C to copy it.'); return; }
  }
  say('status', `Copied the eidos ${id} command.`);
}

// ---- compare ----

function diffs(a, b) {
  const out = [];
  const differ = (area, item, va, vb) => {
    if (show(va) !== show(vb)) out.push([area, item, va === undefined ? '—' : show(va), vb === undefined ? '—' : show(vb)]);
  };
  const ra = new Set(a.matchedRules.map(compactRule));
  const rb = new Set(b.matchedRules.map(compactRule));
  for (const r of new Set([...ra, ...rb])) differ('Overlay', r, ra.has(r) ? 'matched' : undefined, rb.has(r) ? 'matched' : undefined);
  const ca = new Map(components(a).map((c) => [c.name, c]));
  const cb = new Map(components(b).map((c) => [c.name, c]));
  for (const name of new Set([...ca.keys(), ...cb.keys()])) {
    const x = ca.get(name);
    const y = cb.get(name);
    if (!x || !y) { differ('Component', name, x ? 'installed' : undefined, y ? 'installed' : undefined); continue; }
    differ('Component', `${name} version`, (x.chart || {}).version, (y.chart || {}).version);
    differ('Component', `${name} namespace`, x.namespace, y.namespace);
    differ('Component', `${name} chart`, (x.chart || {}).repository, (y.chart || {}).repository);
    const fx = flatten(x.values || {}, '', {});
    const fy = flatten(y.values || {}, '', {});
    for (const k of new Set([...Object.keys(fx), ...Object.keys(fy)])) if (k) differ('Values', `${name}: ${k}`, fx[k], fy[k]);
  }
  differ('Order', 'deploymentOrder', (a.deploymentOrder || []).join(' → '), (b.deploymentOrder || []).join(' → '));
  const cons = (r) => new Map((r.constraints || []).map((c) => {
    const left = c.check.split(' ')[0];
    return [left, `${c.check.slice(left.length + 1)} (${c.severity})`];
  }));
  const ka = cons(a);
  const kb = cons(b);
  for (const k of new Set([...ka.keys(), ...kb.keys()])) differ('Constraint', k, ka.get(k), kb.get(k));
  const meas = (r) => {
    const o = {};
    for (const m of r.measurements || []) for (const s of m.subtypes) flatten(s.data || {}, `${m.type}.${s.subtype}`, o);
    return o;
  };
  const ma = meas(a);
  const mb = meas(b);
  for (const k of new Set([...Object.keys(ma), ...Object.keys(mb)])) differ('Measurement', k, ma[k], mb[k]);
  return out;
}

function showCompare(a, b, st) {
  $('compare').hidden = !b;
  if (!b) return;
  const list = diffs(a, b);
  const fb = facts(b, st.b);
  rows($('compare-facts').tBodies[0], facts(a, st.a).map(([, name, va], i) =>
    [h('th', { scope: 'row' }, name), show(va), show(fb[i][2])]));
  say('compare-summary', list.length ? `${list.length} differences between A (${describe(st.a)}) and B (${describe(st.b)}).`
    : 'The two recipes are the same.');
  rows($('compare-table').tBodies[0], list.map(([area, item, va, vb]) => [area, h('th', { scope: 'row' }, item), va, vb]));
}

// ---- bundle and validate (when this server offers them) ----

const recipeText = async () => (await getText(`/v1/recipe?${toQuery(state.a)}`)).trim();

function paramValues(p) {
  const el = $(`bundle-${p.name}`);
  if (!el) return [];
  if (el.type === 'checkbox') return el.checked ? [true] : [];
  const lines = el.tagName === 'TEXTAREA' ? el.value.split('\n') : [el.value];
  return lines.map((x) => x.trim()).filter((x) => x && !(el.tagName === 'SELECT' && x === el.dataset.default));
}

function resolve(doc, obj) {
  let o = obj || {};
  for (let i = 0; o.$ref && i < 8; i++) o = o.$ref.split('/').slice(1).reduce((x, k) => (x || {})[k], doc) || {};
  return o;
}

function setupBundle(op, doc) {
  if (!op) {
    say('bundle-note', 'This server does not offer POST /v1/bundle: run the eidos bundle command above.');
    return;
  }
  say('bundle-note', 'The bundle of the recipe above, rendered by this server as a zip file.');
  bundleParams = (op.parameters || []).map((p) => resolve(doc, p)).filter((p) => p.in === 'query');
  $('bundle-options').replaceChildren(...bundleParams.map((p) => {
    const id = `bundle-${p.name}`;
    const schema = resolve(doc, p.schema);
    const items = resolve(doc, schema.items);
    const hint = p.description ? h('small', { id: `${id}-hint` }, p.description) : null;
    const common = { id, name: p.name, 'aria-describedby': hint ? `${id}-hint` : null };
    let control;
    if (schema.enum || items.enum) {
      const values = schema.enum || items.enum;
      control = h('select', { ...common, 'data-default': schema.default ?? '' },
        schema.default === undefined ? h('option', { value: '' }, 'default') : null,
        values.map((v) => h('option', { value: v }, v)));
      if (schema.default !== undefined) control.value = schema.default;
    } else if (schema.type === 'boolean') {
      control = h('input', { ...common, type: 'checkbox' });
    } else if (schema.type === 'array') {
      control = h('textarea', { ...common, rows: 2, spellcheck: 'false', placeholder: 'one a line' });
    } else {
      control = h('input', { ...common, type: 'text', spellcheck: 'false', autocomplete: 'off' });
    }
    return h('div', { class: 'field' }, h('label', { for: id }, p.name), control, hint);
  }));
  $('bundle-form').hidden = false;
  $('bundle-form').addEventListener('input', commands);
  $('bundle-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    say('bundle-status', 'Rendering the bundle…');
    try {
      const q = new URLSearchParams();
      for (const p of bundleParams) for (const v of paramValues(p)) q.append(p.name, v === true ? 'true' : v);
      const body = await recipeText();
      const res = await fetch(`/v1/bundle?${q}`, {
        method: 'POST', body, headers: { 'Content-Type': 'application/json', Accept: 'application/zip' },
      });
      if (!res.ok) throw await apiError(res);
      const blob = await res.blob();
      const m = /filename="?([\w.-]+)"?/.exec(res.headers.get('Content-Disposition') || '');
      const name = m ? m[1] : 'bundle.zip';
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      say('bundle-status', `Downloaded ${name} (${blob.size} bytes).`);
    } catch (e) {
      say('bundle-status', e.message, true);
    }
  });
  commands();
}

function envelope(recipe, text, failOn) {
  // Both documents go as written (JSON.parse would round integers past 2^53).
  try {
    JSON.parse(text);
    return [`{"recipe":${recipe},"snapshots":[${text.trim()}],"failOn":${JSON.stringify(failOn)}}`, 'application/json'];
  } catch (e) {
    // YAML: the recipe as JSON (a YAML flow mapping), the snapshot as pasted, indented.
    const json = recipe.replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l, i, all) =>
      !(/^---\s*$/.test(l) && all.slice(0, i).every((x) => !x.trim() || x.startsWith('#'))) && !/^\.\.\.\s*$/.test(l));
    return [`failOn: ${failOn}\nrecipe: ${json}\nsnapshots:\n  -\n${lines.map((l) => `    ${l}`).join('\n')}\n`, 'application/yaml'];
  }
}

function showReport(rep) {
  const s = rep.summary || {};
  const verdict = rep.result === 'pass' ? 'pass' : 'fail';
  $('report').replaceChildren(
    h('p', { id: 'verdict', class: `verdict ${verdict}` }, verdict === 'pass' ? 'PASS' : 'FAIL',
      ` — ${s.nodes} node(s), ${s.checks} checks: ${s.passed} passed, ${s.failed} failed, ${s.warnings} warnings, ${s.skipped} skipped (fail on ${rep.failOn})`),
    ...(rep.nodes || []).map((n) => h('div', { class: 'node' },
      h('h3', {}, `${n.node}: ${n.result}`),
      n.missing ? h('p', { class: 'error' }, n.missing) : null,
      table(['Check', 'Status', 'Expected', 'Actual', 'Details'], (n.checks || []).map((c) => [
        h('td', {}, h('code', {}, c.check)),
        h('td', { class: `st-${STATUSES.includes(c.status) ? c.status : 'other'}` }, c.status),
        c.expected ?? '', c.actual === undefined ? '' : show(c.actual), c.message || c.reason || ''])))));
}

function setupValidate(op, doc) {
  if (!op) {
    say('validate-note', 'This server does not offer POST /v1/validate.');
    return;
  }
  say('validate-note', 'Checks snapshots (eidos snapshot output) against the constraints of the recipe above.');
  const schemas = Object.values((doc.components || {}).schemas || {});
  const levels = schemas.map((x) => ((x.properties || {}).failOn || {}).enum).find(Boolean) || ['error', 'warning', 'skip'];
  $('fail-on').replaceChildren(...levels.map((v) => h('option', { value: v }, v)));
  const text = $('snapshot-text');
  $('snapshot-file').addEventListener('change', async (ev) => {
    const f = ev.target.files[0];
    if (f) text.value = await f.text();
  });
  text.addEventListener('dragover', (ev) => ev.preventDefault());
  text.addEventListener('drop', async (ev) => {
    const f = ev.dataTransfer.files[0];
    if (!f) return;
    ev.preventDefault();
    text.value = await f.text();
  });
  $('validate-form').hidden = false;
  $('validate-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!text.value.trim()) { say('validate-status', 'Paste or choose a snapshot first.', true); return; }
    say('validate-status', 'Validating…');
    $('report').replaceChildren();
    try {
      const [body, type] = envelope(await recipeText(), text.value, $('fail-on').value);
      const res = await fetch('/v1/validate', { method: 'POST', body, headers: { 'Content-Type': type, Accept: 'application/json' } });
      if (!res.ok) throw await apiError(res);
      const rep = await res.json();
      showReport(rep);
      say('validate-status', `Validation ${rep.result === 'pass' ? 'passed' : 'failed'} against the recipe for ${describe(state.a)}.`);
    } catch (e) {
      say('validate-status', e.message, true);
    }
  });
}

// ---- start ----

async function start() {
  try {
    const doc = await getJson('/v1/criteria');
    CRITERIA = doc.criteria;
  } catch (e) {
    say('status', `Could not read the criteria: ${e.message}`, true);
    return;
  }
  for (const c of CRITERIA) for (const a of c.aliases || []) ALIASES[a] = c.name;
  buildPickers('a');
  buildPickers('b');
  $('criteria').append(h('p', {}, h('button', { type: 'submit' }, 'Show recipe')));
  $('criteria').addEventListener('change', onPick);
  $('criteria').addEventListener('submit', (ev) => { ev.preventDefault(); onPick(ev); });
  window.addEventListener('popstate', () => apply(readUrl()));
  getJson('/').then((info) => say('server', `${info.service} ${info.version}: configuration recipes for GPU-accelerated Kubernetes.`), () => {});
  getJson('/openapi.json').then((doc) => doc, () => ({})).then((doc) => {
    const post = (p) => (((doc.paths || {})[p] || {}).post);
    setupBundle(post('/v1/bundle'), doc);
    setupValidate(post('/v1/validate'), doc);
  });
  apply(readUrl());
}

start();
