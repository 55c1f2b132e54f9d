import * as React from 'react';
import type { IEditorServices } from '@jupyterlab/codeeditor';
import { Button } from '@jupyterlab/ui-components';
import type { DpRelease, ViewSummary } from '@privet/core/protocol';
import { whyUnusable, type Experiment, type ExperimentContext } from '../experiment.js';
import type { SqlEngine } from '../engine.js';
import type { PrivetSession, SignedIn } from '../session.js';
import { countSql, hasLoadableRows, previewSql } from '@privet/core/client/view-query';
import { DpQueryBox, type DpQueryAsk } from './DpQueryBox.js';
import { SqlEditor, type SqlSchema } from './SqlEditor.js';
import { ExperimentPicker, useExperiments } from './ExperimentPicker.js';
import { ErrorBox, toErrorInfo } from './ErrorBox.js';
import { DATA_PANEL_HOST } from './gateway-status-model.js';
import { GatewayStatusSlot } from './GatewayStatusSlot.js';
import { PublishBox } from './PublishBox.js';
import { ResultTable } from './ResultTable.js';
import { SignInForm } from './SignInForm.js';
import { ViewCard } from './ViewCard.js';
import { ViewList, useViews } from './ViewList.js';
import { loadedOr } from './LoadStatus.js';
import { useReportLoad, useStatusHost } from './useGatewayStatus.js';
import { RestoreProblemBox } from './RestoreProblemBox.js';
import { useSignedIn } from './useSignalValue.js';
import type { LoadedFidelity } from './FidelityTab.js';
import { runSql } from './runSql.js';
import { useSqlRun } from './useSqlRun.js';

/** The views while none are loaded (one array, so effects on the list do not rerun). */
const NO_VIEWS: ViewSummary[] = [];

/** Props of the data panel's React tree. */
export interface DataPanelAppProps {
  session: PrivetSession;
  engine: SqlEngine;
  gatewayUrl: string;
  context: ExperimentContext;
  onUseInNotebook: (signedIn: SignedIn, view: ViewSummary, experiment: Experiment) => Promise<void>;
  /** Puts a DP release into the notebook. */
  onRelease: (release: DpRelease) => Promise<void>;
  /** Opens a loaded fidelity report in a main-area tab (absent: shown in the card only). */
  onOpenFidelity?: (loaded: LoadedFidelity) => void;
  /** JupyterLab's editor services, for the SQL boxes (absent: plain textareas). */
  editors?: IEditorServices | null;
  /** Grows on every poll of the panel's widget (while shown): views and experiments are listed again. */
  tick?: number;
}

/** The views' names and column names, for completion in the SQL boxes. */
function schemaOf(views: readonly ViewSummary[]): SqlSchema {
  return Object.fromEntries(views.map((v) => [v.name, v.columns.map((c) => c.name)]));
}

/** What the panel announces when Retry restored the kept sign-in. */
function retriedText(restored: SignedIn): string {
  return `Sign-in restored: signed in as ${restored.user.name}.`;
}

/** What it announces when Retry found no kept sign-in left (the problem is gone), else nothing. */
function nothingKeptText(session: PrivetSession): string {
  return session.restoreProblem || session.signedIn
    ? ''
    : 'There is no kept sign-in for this gateway URL: sign in with your token.';
}

/** The whole panel: sign-in, then views, SQL editor and results. */
export function DataPanelApp(props: DataPanelAppProps): JSX.Element {
  const { session, engine } = props;
  const signedIn = useSignedIn(session);
  const status = useStatusHost(session, DATA_PANEL_HOST);
  const experiments = useExperiments(signedIn, props.context, props.tick, status);
  const experiment = experiments.selected;
  const [sql, setSql] = React.useState('');
  /** The last DP view card's "DP query", for the experiment it was asked under. */
  const [dpAsk, setDpAsk] = React.useState<(DpQueryAsk & { experiment: string }) | null>(null);
  // Another user, gateway or experiment (or a sign-out) clears the result; late ones are dropped.
  const sqlRun = useSqlRun([signedIn, experiment?.id ?? null]);
  const [viewsVersion, setViewsVersion] = React.useState(0);
  const [announced, setAnnounced] = React.useState('');
  const [viewsLoad, reloadViews, adoptViews] = useViews(signedIn, viewsVersion, props.tick);
  const viewsTold = useReportLoad(status, 'views', signedIn ? viewsLoad : null, reloadViews);
  const views = loadedOr(viewsLoad, NO_VIEWS);
  // The sign-in the SQL box was filled in for: a later list never refills a box the user emptied.
  const filledFor = React.useRef<SignedIn | null>(null);
  /** The SQL section (heading, box, status, result): Preview scrolls it into view. */
  const sqlSection = React.useRef<HTMLElement>(null);
  /** The panel's heading: focus goes there when the gateway message left with the focus in it. */
  const title = React.useRef<HTMLHeadingElement>(null);
  const heading = (
    <h2 className="jp-Privet-title" tabIndex={-1} ref={title}>
      Privet
    </h2>
  );

  // The panel's first two children are the same in both branches, so this region survives
  // sign-in and a screen reader hears how a Retry of the kept sign-in ended.
  const announcement = (
    <p className="jp-Privet-srOnly" role="status">
      {announced}
    </p>
  );
  React.useEffect(() => {
    const first = views.find((v) => hasLoadableRows(v) && v.name.endsWith('_masked'));
    if (!first || !signedIn || filledFor.current === signedIn) return;
    filledFor.current = signedIn;
    setSql((s) => s || `SELECT * FROM ${first.name} LIMIT 20`);
  }, [views, signedIn]);

  if (!signedIn) {
    return (
      <div className="jp-Privet-panel">
        {heading}
        {announcement}
        <RestoreProblemBox
          session={session}
          gatewayUrl={props.gatewayUrl}
          onRetried={(restored) =>
            setAnnounced(restored ? retriedText(restored) : nothingKeptText(session))
          }
        />
        <SignInForm
          gatewayUrl={props.gatewayUrl}
          onSignIn={async (url, token) => {
            await session.signIn(url, token);
          }}
        />
      </div>
    );
  }

  // Only the newest run is shown; a Preview while one runs supersedes it. A newer list of views
  // the run got from the gateway replaces the cards (for this sign-in only).
  const onFreshViews = (fresh: readonly ViewSummary[], asked: number): void =>
    adoptViews([...fresh], asked);
  const run = (text: string): void =>
    sqlRun.run((progress, signal) =>
      runSql(engine, signedIn.client, views, experiment, text, progress, signal, onFreshViews),
    );
  // Preview's query runs in the SQL box further down: it scrolls into view (heading on top), so
  // the query, its status line and then its rows are seen where they appear.
  const preview = (view: ViewSummary): void => {
    const text = previewSql(view.name);
    setSql(text);
    run(text);
    sqlSection.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  };
  const askDp = (view: ViewSummary): void => {
    if (!experiment) return;
    setDpAsk((last) => ({
      sql: countSql(view.name),
      seq: (last?.seq ?? 0) + 1,
      experiment: experiment.id,
    }));
  };
  const use = (view: ViewSummary): void => {
    sqlRun.showError(null);
    if (!experiment) return;
    props
      .onUseInNotebook(signedIn, view, experiment)
      .catch((e: unknown) => sqlRun.showError(toErrorInfo(e)));
  };

  const isSteward = signedIn.user.roles.includes('steward');
  const fidelity = {
    isSteward,
    load: async (name: string) => {
      const [report, svg] = await Promise.all([
        signedIn.client.viewFidelity(name),
        signedIn.client.viewFidelitySvg(name),
      ]);
      return { report, svg };
    },
    ...(props.onOpenFidelity ? { openInTab: props.onOpenFidelity } : {}),
  };

  // One message when lists (of this panel or another) fail for one cause that is the gateway's.
  const shared = status.model.viewFor(status.host);
  const refused = shared.kind !== 'none' && shared.problem.cause === 'refused';

  const dpViews = views
    .filter((v) => v.tier === 'dp' && whyUnusable(experiment, v.name) === null)
    .map((v) => v.name);

  return (
    <div className="jp-Privet-panel">
      {heading}
      {announcement}
      <div className="jp-Privet-user" data-refused={refused ? 'true' : undefined}>
        <span>
          {refused ? 'Sign-in no longer accepted:' : 'Signed in as'}{' '}
          <strong>{signedIn.user.name}</strong> ({signedIn.user.user}) ·{' '}
          {signedIn.user.roles.join(', ')}
        </span>
        <Button small minimal onClick={() => session.signOut()}>
          Sign out
        </Button>
      </div>
      <GatewayStatusSlot
        scope={status}
        session={session}
        focusTarget={title}
        announce={setAnnounced}
      />
      <ExperimentPicker {...experiments} context={props.context} />
      <h3 className="jp-Privet-heading">Views</h3>
      <ViewList
        load={viewsLoad}
        told={viewsTold}
        onRetry={reloadViews}
        renderView={(v) => (
          <ViewCard
            key={v.name}
            view={v}
            unusable={whyUnusable(experiment, v.name)}
            onPreview={preview}
            onUseInNotebook={use}
            onDpQuery={askDp}
            fidelity={fidelity}
          />
        )}
      />
      {isSteward ? (
        <>
          <h3 className="jp-Privet-heading">Publish (steward)</h3>
          <PublishBox client={signedIn.client} onPublished={() => setViewsVersion((v) => v + 1)} />
        </>
      ) : null}
      {experiment && dpViews.length > 0 ? (
        <>
          <h3 className="jp-Privet-heading">DP query (on the gateway; spends budget)</h3>
          <DpQueryBox
            key={experiment.id}
            client={signedIn.client}
            experiment={experiment.id}
            views={dpViews}
            sources={[
              ...new Set(views.filter((v) => dpViews.includes(v.name)).map((v) => v.source)),
            ]}
            schema={schemaOf(views.filter((v) => dpViews.includes(v.name)))}
            editors={props.editors ?? null}
            ask={dpAsk?.experiment === experiment.id ? dpAsk : null}
            onRelease={async (release) => {
              props.context.notifySpent(experiment.id);
              await props.onRelease(release);
            }}
            onRunStopped={() => props.context.notifySpent(experiment.id)}
          />
        </>
      ) : null}
      <section className="jp-Privet-sqlSection" ref={sqlSection}>
        <h3 className="jp-Privet-heading">
          SQL (in this browser, over masked &amp; synthetic views)
        </h3>
        <SqlEditor
          className="jp-Privet-sql"
          label="SQL query"
          value={sql}
          rows={4}
          onChange={setSql}
          onRun={() => {
            if (!sqlRun.running) run(sql);
          }}
          onStop={sqlRun.stop}
          running={sqlRun.running}
          schema={schemaOf(views.filter(hasLoadableRows))}
          editors={props.editors ?? null}
        />
        <div className="jp-Privet-sqlActions">
          {/* aria-disabled, not disabled, while running: a disabled button loses keyboard focus. */}
          <Button
            className="jp-Privet-primary"
            aria-disabled={sqlRun.running ? 'true' : undefined}
            onClick={sqlRun.running ? undefined : () => run(sql)}
          >
            Run
          </Button>
          {sqlRun.running ? (
            <Button title="Stop the query (Esc in the SQL box)" onClick={sqlRun.stop}>
              Stop
            </Button>
          ) : null}
          <span className="jp-Privet-status" role="status">
            {sqlRun.status}
          </span>
        </div>
        <ErrorBox error={sqlRun.error} />
        {sqlRun.result ? <ResultTable result={sqlRun.result} /> : null}
      </section>
    </div>
  );
}
