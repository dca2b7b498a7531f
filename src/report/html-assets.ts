// The page's style and its one script, and the Content-Security-Policy that admits exactly that script: its
// sha256 is computed here from the text, so the policy and the script cannot drift apart, and nothing else may
// run, load or connect (an account name or a finding that smuggled markup in stays text anyway: escapeHtml).
import { createHash } from 'node:crypto';

export const STYLE = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;padding:1rem;color:#1d1d1f;max-width:72rem;overflow-wrap:anywhere}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #ddd}
h3{font-size:1rem;margin:1rem 0 .25rem}.muted{color:#595959}
.blind,.notice{background:#fff4e5;border-left:4px solid #e67e22;padding:.5rem 1rem}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}table{overflow-wrap:normal}td.zero{color:#aaa}
.counts span{display:inline-block;margin:0 .5rem .3rem 0;padding:.2rem .6rem;border-radius:.3rem;background:#eee}
.badge{display:inline-block;white-space:nowrap;padding:0 .4rem;border-radius:.25rem;font-size:.8rem;font-weight:600;letter-spacing:.03em}
.critical{background:#b0171f!important;color:#fff}.high{background:#e8590c!important;color:#fff}
.medium{background:#f5c518!important;color:#1d1d1f}.low{background:#9ec5f0!important;color:#1d1d1f}.info{background:#ddd!important;color:#1d1d1f}
.finding{margin:.5rem 0 1rem;padding:.25rem 0 .25rem .75rem;border-left:6px solid #ccc}
.finding.sev-critical{border-color:#b0171f}.finding.sev-high{border-color:#e8590c}.finding.sev-medium{border-color:#f5c518}
.finding.sev-low{border-color:#9ec5f0}.finding.sev-info{border-color:#bbb}.finding.is-muted{border-style:dashed}
.finding header{display:flex;flex-wrap:wrap;gap:.25rem .5rem;align-items:baseline}
pre{white-space:pre;overflow-x:auto;max-width:100%;background:#f6f6f6;padding:.5rem;margin:.25rem 0}
code{overflow-wrap:anywhere}
#filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0}
#filters label{display:flex;flex-direction:column;font-size:.85rem;min-width:0;max-width:100%}
#filters select,#filters input{font:inherit;max-width:100%;min-width:0}
.bar{display:block;height:.8rem;background:#1f77b4;min-width:2px}.bar.soon{background:#e8590c}.bar.gone{background:#b0171f}
td.bar-cell{width:40%;min-width:4rem}
@media (max-width:600px){body{padding:.5rem}td,th{padding:.2rem .3rem}}
`;

/**
 * Filter and search: each finding carries its severity, account and check as data attributes; a finding is shown
 * when it matches every filter and its text holds the search words. Headings of groups left empty hide too. Works
 * offline: no module, no fetch, nothing but the page.
 */
export const SCRIPT = `(() => {
  const form = document.getElementById('filters');
  if (!form) return;
  const findings = [...document.querySelectorAll('.finding')];
  const groups = [...document.querySelectorAll('.group')];
  const count = document.getElementById('shown');
  const texts = new Map();
  const textOf = (el) => {
    let text = texts.get(el);
    if (text === undefined) { text = el.textContent.toLowerCase(); texts.set(el, text); }
    return text;
  };
  const apply = () => {
    const severity = form.elements.severity.value;
    const account = form.elements.account.value;
    const check = form.elements.check.value;
    const words = form.elements.text.value.toLowerCase().split(/\\s+/).filter(Boolean);
    let shown = 0;
    for (const el of findings) {
      const ok = (!severity || el.dataset.severity === severity) && (!account || el.dataset.account === account) &&
        (!check || el.dataset.check === check) && words.every((word) => textOf(el).includes(word));
      el.hidden = !ok;
      if (ok) shown++;
    }
    for (const group of groups) group.hidden = !group.querySelector('.finding:not([hidden])');
    count.textContent = shown + ' of ' + findings.length + ' findings shown';
  };
  form.addEventListener('input', apply);
  form.addEventListener('submit', (event) => event.preventDefault());
  form.addEventListener('reset', () => setTimeout(apply));
})();`;

const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');

/** Nothing from outside the page; inline style, and the one script above by its hash. */
export const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; form-action 'none'; base-uri 'none'`;
