/* global acquireVsCodeApi, document, window */
// The budget & record webview (loaded with a CSP nonce; builds DOM with textContent only, so
// nothing the gateway sends can inject markup). Messages follow src/sidebar/messages.ts.
// #root is rebuilt on every update and is no live region: what a screen reader should hear goes to
// the #status line (role=status), and the button that had focus gets it back after a rebuild
// (both through webview-common.js, loaded first).
(function () {
  const vscode = acquireVsCodeApi();
  const { el, announce, rebuild } = window.privetWebview;
  const root = document.getElementById('root');
  // True from a click on Retry or Refresh until the next update: its answer is said even when it
  // is the same as before (a Retry that failed the same way).
  let asked = false;

  function button(label, type) {
    const b = el('button', label);
    b.setAttribute('data-focus', type);
    b.addEventListener('click', () => {
      if (type === 'refresh') asked = true;
      vscode.postMessage({ type });
    });
    return b;
  }

  function gauge(b, perQuery) {
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
    // A meter a screen reader can read: ε spent (and reserved) of the total, with the words.
    const max = total > 0 ? total : 1;
    bar.setAttribute('role', 'meter');
    bar.setAttribute('aria-label', `budget ${b.source}${who} spent`);
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', String(max));
    bar.setAttribute('aria-valuenow', String(total > 0 ? Math.min(max, spent) : max));
    bar.setAttribute(
      'aria-valuetext',
      `ε ${b.spent.epsilon.text} spent and ${b.reserved.epsilon.text} reserved of ${b.total.epsilon.text}; ${b.remaining.epsilon.text} left`,
    );
    wrap.appendChild(
      el('div', `spent ε ${b.spent.epsilon.text}, reserved ε ${b.reserved.epsilon.text}`, 'muted'),
    );
    if (perQuery) wrap.appendChild(el('div', perQuery, 'muted'));
    return wrap;
  }

  /** Rebuilds the view for `message`, giving focus back to the button that had it. */
  function render(message) {
    rebuild(() => build(message));
  }

  function build(message) {
    root.replaceChildren();
    if (message.type === 'signedOut') {
      root.appendChild(el('p', 'Not signed in to a Privet gateway.'));
      root.appendChild(button('Sign In', 'signIn'));
      return;
    }
    if (message.type === 'noExperiment') {
      root.appendChild(
        el(
          'p',
          `Signed in as ${message.user}. No experiment selected: select the one your cells run in.`,
        ),
      );
      root.appendChild(button('Select Experiment', 'selectExperiment'));
      return;
    }
    if (message.type === 'error') {
      root.appendChild(el('p', message.message, 'error'));
      root.appendChild(el('p', `Fix: ${message.fix}`, 'muted'));
      root.appendChild(button('Retry', 'refresh'));
      if (message.showLog) root.appendChild(button('Show Log', 'showLog'));
      return;
    }
    const e = message.experiment;
    root.appendChild(el('h2', `${e.title}`));
    root.appendChild(el('div', `${e.id} · ${e.state} · signed in as ${message.user}`, 'muted'));
    root.appendChild(el('h2', 'Budget'));
    const perQuery = message.perQuery || [];
    message.budget.budgets.forEach((b, i) => root.appendChild(gauge(b, perQuery[i])));
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

  window.addEventListener('message', (event) => {
    const message = event.data;
    // Said once when it changes; the budget figures are read from the meters on demand.
    announce(
      message.type === 'signedOut'
        ? 'Not signed in to a Privet gateway.'
        : message.type === 'error'
          ? `The budget could not be read: ${message.message}. Fix: ${message.fix}`
          : '',
      asked,
    );
    asked = false;
    render(message);
  });
  vscode.postMessage({ type: 'ready' });
})();
