/**
 * The command contributions of vscode-ext/package.json: titles in VS Code's Title Case under the
 * "Privet" category, every "Privet: …" the extension's texts and the UI tests name is one of them,
 * sign-out and cell-only commands are listed in the palette only where they apply (cell commands
 * while a notebook or the Interactive Window is the active editor, wherever the keyboard focus is),
 * every `privet.*` context key a `when` clause reads is set by the extension, and the tree's
 * welcome content (shown while signed out, when the tree is empty) has its Sign In button, or says
 * the saved sign-in is being restored.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '../..');

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
  };
}

const manifest = JSON.parse(
  readFileSync(join(root, 'vscode-ext/package.json'), 'utf8'),
) as Manifest;
const { commands, menus, viewsWelcome } = manifest.contributes;
/** VS Code's `activeEditor` ids of the notebook editor and the Interactive Window. */
const NOTEBOOK_OR_INTERACTIVE =
  "(activeEditor == 'workbench.editor.notebook' || activeEditor == 'workbench.editor.interactive')";
/** "Privet: Sign In" → privet.signIn, as the palette lists them. */
const paletteNames = new Map(commands.map((c) => [`${c.category}: ${c.title}`, c.command]));

/**
 * Words VS Code keeps lower case inside a Title Case title (not "In" of "Sign In": a verb's
 * particle is capitalized).
 */
const MINOR_WORDS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'by',
  'for',
  'of',
  'or',
  'the',
  'to',
  'with',
]);

/** Every file below `dir` (recursively) whose name ends with one of `endings`. */
function files(dir: string, ...endings: string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(join(dir, e.name), ...endings)
      : endings.some((end) => e.name.endsWith(end))
        ? [join(dir, e.name)]
        : [],
  );
}

/** The `when` clause of a command in the command palette, if any. */
function paletteWhen(command: string): string | undefined {
  return menus.commandPalette?.find((m) => m.command === command)?.when;
}

describe('VS Code manifest: commands', () => {
  it('titles are Title Case under the Privet category', () => {
    for (const c of commands) {
      assert.equal(c.category, 'Privet', c.command);
      const words = c.title.split(' ');
      words.forEach((word, i) => {
        const minor = i > 0 && MINOR_WORDS.has(word.toLowerCase());
        assert.equal(
          word,
          minor ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1),
          `"${c.title}" (${c.command})`,
        );
      });
    }
  });

  it('every "Privet: …" the extension and the UI tests name is a contributed command', () => {
    const named = [
      ...files(join(root, 'vscode-ext/src'), '.ts'),
      ...files(join(root, 'vscode-ext/media'), '.js'),
    ].flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/"(Privet: [A-Z][^"]*)"/g)].map((m) => m[1]!),
    );
    const run = files(join(root, 'ui-tests/vscode'), '.ts').flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/runCommand\w*\(page, '(Privet: [^']+)'/g)].map(
        (m) => m[1]!,
      ),
    );
    assert.ok(named.length > 5 && run.length > 3, 'found the references');
    for (const name of [...named, ...run])
      assert.ok(paletteNames.has(name), `"${name}" is a command`);
  });

  it('the extension names a command as the palette does (status bar, placeholders, messages)', () => {
    // E.g. the cell's "Request Review" and the placeholder's 'Use "Request Review" on this cell'.
    for (const f of [
      ...files(join(root, 'vscode-ext/src'), '.ts'),
      ...files(join(root, 'vscode-ext/media'), '.js'),
    ]) {
      const text = readFileSync(f, 'utf8');
      for (const { title } of commands)
        for (const m of text.matchAll(new RegExp(`\\b${title}\\b`, 'gi')))
          if (/[A-Z]/.test(m[0][0]!)) assert.equal(m[0], title, `${f}: "${m[0]}"`);
    }
  });

  it('the palette lists Sign Out and cell commands only where they apply', () => {
    const known = new Set(commands.map((c) => c.command));
    for (const [menu, entries] of Object.entries(menus))
      for (const e of entries) assert.ok(known.has(e.command), `${menu}: ${e.command}`);
    // Before activation (privet.tokenChecked unset) a token may be stored: Sign Out is listed, and
    // activates the extension, which answers when there is nothing to sign out of. No start-up
    // activation (onStartupFinished) just for this.
    assert.equal(
      paletteWhen('privet.signOut'),
      '!privet.tokenChecked || privet.signedIn || privet.tokenStored',
    );
    assert.ok(!manifest.activationEvents.includes('onStartupFinished'));
    assert.ok(!manifest.activationEvents.includes('*'));
    // The active editor, not keyboard focus (typing, or the Interactive Window's input box, moves it).
    assert.equal(
      paletteWhen('privet.runAndSpend'),
      `privet.inExperiment && ${NOTEBOOK_OR_INTERACTIVE}`,
    );
    assert.equal(
      paletteWhen('privet.requestReview'),
      `privet.inExperiment && ${NOTEBOOK_OR_INTERACTIVE}`,
    );
    assert.equal(
      paletteWhen('privet.reviewConversation'),
      `privet.signedIn && ${NOTEBOOK_OR_INTERACTIVE}`,
    );
    for (const [menu, entries] of Object.entries(menus))
      for (const e of entries)
        assert.doesNotMatch(e.when ?? '', /notebookEditorFocused/, `${menu}: ${e.command}`);
    assert.equal(paletteWhen('privet.signIn'), undefined, 'signing in is always possible');
  });

  it('every privet.* context key a when clause reads is set by the extension', () => {
    const clauses = [
      ...Object.values(menus).flatMap((entries) => entries.map((e) => e.when ?? '')),
      ...viewsWelcome.map((w) => w.when ?? ''),
    ];
    // Keys only: the value compared with (`view == privet.experiments`) is no context key.
    const read = new Set(
      clauses.flatMap((when) =>
        [
          ...when
            .replace(/(==|!=|=~)\s*('[^']*'|[^\s)&|]+)/g, '')
            .matchAll(/(?<![\w.])privet\.[A-Za-z]+/g),
        ].map((m) => m[0]),
      ),
    );
    const sources = files(join(root, 'vscode-ext/src'), '.ts').map((f) => readFileSync(f, 'utf8'));
    const constants = new Map(
      sources.flatMap((text) =>
        [...text.matchAll(/const (\w+) = '(privet\.[A-Za-z]+)'/g)].map((m) => [m[1]!, m[2]!]),
      ),
    );
    const set = new Set(
      sources.flatMap((text) =>
        [...text.matchAll(/'setContext',\s*(?:'(privet\.[A-Za-z]+)'|(\w+))/g)].map(
          (m) => m[1] ?? constants.get(m[2]!) ?? m[2]!,
        ),
      ),
    );
    assert.ok(read.size >= 7, `found the keys read: ${[...read].join(', ')}`);
    for (const key of read) assert.ok(set.has(key), `${key} is set with setContext in src`);
  });

  it('the experiments tree welcome shows while signed out, with its Sign In button', () => {
    const welcome = viewsWelcome.filter((w) => w.view === 'privet.experiments');
    assert.equal(welcome.length, 2);
    const [signIn, restoring] = welcome;
    assert.equal(signIn!.when, '!privet.signedIn && !privet.restoring');
    assert.match(signIn!.contents, /^Sign in to your Privet gateway/);
    assert.match(signIn!.contents, /\n\[Sign In\]\(command:privet\.signIn\)/);
    // While a saved sign-in is being restored (up to a minute), no Sign In button.
    assert.equal(restoring!.when, '!privet.signedIn && privet.restoring');
    assert.match(restoring!.contents, /^Restoring your saved sign-in/);
    assert.doesNotMatch(restoring!.contents, /command:privet\.signIn/);
  });
});
