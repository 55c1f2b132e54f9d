/* global acquireVsCodeApi, document, window */
// The budget & record webview (loaded with a CSP nonce; builds DOM with textContent only, so
// nothing the gateway sends can inject markup). Messages follow src/sidebar/messages.ts.
(function () {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('root');

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function button(label, type) {
    const b = el('button', label);
    b.addEventListener('click', () => vscode.postMessage({ type }));
    return b;
  }

  function gauge(b) {
    const wrap = el('div', undefined, 'gauge');
    const who = b.scope === 'experiment_user' ? ` (${b.user})` : '';
    wrap.appendChild(
      el('div', `${b.source}${who}: ε ${b.remaining.epsilon.text} of ${b.total.epsilon.text} left`),
    );
    const bar = wrap.appendChild(el('div', undefined, 'bar'));
    const used = el('div');
    const total = b.total.epsilon.value;
    const spent = b.spent.epsilon.value + b.reserved.epsilon.value;
    used.style.width = `${total > 0 ? Math.min(100, (100 * spent) / total) : 100}%`;
    bar.appendChild(used);
    bar.setAttribute('role', 'meter');
    bar.setAttribute('aria-label', `budget ${b.source} spent`);
    wrap.appendChild(
      el('div', `spent ε ${b.spent.epsilon.text}, reserved ε ${b.reserved.epsilon.text}`, 'muted'),
    );
    return wrap;
  }

  function render(message) {
    root.replaceChildren();
    if (message.type === 'signedOut') {
      root.appendChild(el('p', 'Not signed in to a Privet gateway.'));
      root.appendChild(button('Sign in', 'signIn'));
      return;
    }
    if (message.type === 'noExperiment') {
      root.appendChild(
        el('p', `Signed in as ${message.user}. Pick an experiment in the Privet tree.`),
      );
      return;
    }
    if (message.type === 'error') {
      root.appendChild(el('p', message.message, 'error'));
      root.appendChild(el('p', `Fix: ${message.fix}`, 'muted'));
      root.appendChild(button('Retry', 'refresh'));
      return;
    }
    const e = message.experiment;
    root.appendChild(el('h2', `${e.title}`));
    root.appendChild(el('div', `${e.id} · ${e.state} · signed in as ${message.user}`, 'muted'));
    root.appendChild(el('h2', 'Budget'));
    for (const b of message.budget.budgets) root.appendChild(gauge(b));
    root.appendChild(el('h2', `Charges (${message.budget.charges.length})`));
    const charges = root.appendChild(el('ul'));
    charges.setAttribute('data-testid', 'privet-charges');
    const shown = message.budget.charges.map((c, i) => [c, message.chargeEpsilon[i]]).reverse();
    for (const [c, epsilon] of shown) {
      const li = charges.appendChild(el('li'));
      li.appendChild(el('code', `ε ${epsilon}`));
      li.appendChild(el('span', ` ${c.status} by ${c.user}: `));
      li.appendChild(el('span', c.query, 'muted'));
    }
    root.appendChild(el('h2', 'Record'));
    const record = root.appendChild(el('ul'));
    record.appendChild(el('li', `purpose: ${e.purpose}`));
    record.appendChild(el('li', `owner ${e.owner}; members ${e.members.join(', ') || '-'}`));
    if (e.decidedBy)
      record.appendChild(el('li', `decided by ${e.decidedBy}: ${e.decisionNote || ''}`));
    record.appendChild(el('li', `views: ${e.views.join(', ')}`));
    record.appendChild(el('li', `updated ${e.updatedAt}`));
    root.appendChild(button('Refresh', 'refresh'));
  }

  window.addEventListener('message', (event) => render(event.data));
  vscode.postMessage({ type: 'ready' });
})();
