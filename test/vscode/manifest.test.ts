/**
 * The command contributions of vscode-ext/package.json: titles in VS Code's Title Case under the
 * "Privet" category, every "Privet: …" the extension's texts and the UI tests name is one of them,
 * sign-out and cell-only commands are listed in the palette only where they apply, and the tree's
 * welcome content (shown while signed out, when the tree is empty) has its Sign In button.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '../..');

interface Manifest {
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

  it('the palette lists Sign Out and cell commands only where they apply', () => {
    const known = new Set(commands.map((c) => c.command));
    for (const [menu, entries] of Object.entries(menus))
      for (const e of entries) assert.ok(known.has(e.command), `${menu}: ${e.command}`);
    assert.equal(paletteWhen('privet.signOut'), 'privet.signedIn || privet.tokenStored');
    for (const cellCommand of [
      'privet.runAndSpend',
      'privet.requestReview',
      'privet.reviewConversation',
    ])
      assert.match(paletteWhen(cellCommand) ?? '', /notebookEditorFocused/, cellCommand);
    assert.equal(paletteWhen('privet.signIn'), undefined, 'signing in is always possible');
  });

  it('the experiments tree welcome shows while signed out, with its Sign In button', () => {
    const welcome = viewsWelcome.filter((w) => w.view === 'privet.experiments');
    assert.equal(welcome.length, 1);
    assert.equal(welcome[0]!.when, '!privet.signedIn');
    assert.match(welcome[0]!.contents, /^Sign in to your Privet gateway/);
    assert.match(welcome[0]!.contents, /\n\[Sign In\]\(command:privet\.signIn\)/);
  });
});
