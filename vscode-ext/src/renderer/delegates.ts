/**
 * The renderers the gate hands passing items to, by MIME type, as VS Code 1.100 contributes them:
 * Markdown, LaTeX, JSON and code (`text/x-*`) go to the Markdown renderer (built-in extension
 * markdown-language-features; LaTeX math through markdown-math's KaTeX plugin, which extends that
 * renderer), every other type
 * the gate claims to the built-in output renderer (notebook-renderers). Each delegate is fetched
 * once; disposal goes to the renderer that drew the item.
 */
import type { RendererApi } from 'vscode-notebook-renderer';

/** VS Code's built-in output renderer (text, HTML, SVG, JavaScript, streams, errors). */
export const BUILTIN_RENDERER_ID = 'vscode.builtin-renderer';

/** VS Code's Markdown renderer (markdown-it; also draws `text/latex` as Markdown with math). */
export const MARKDOWN_RENDERER_ID = 'vscode.markdown-it-renderer';

/**
 * MIME types the gate hands to the Markdown renderer: every type it draws in VS Code 1.100 —
 * Markdown, LaTeX, JSON and the `text/x-*` code types (drawn as highlighted code blocks).
 */
export const MARKDOWN_MIMES: ReadonlySet<string> = new Set([
  'text/markdown',
  'text/latex',
  'text/x-css',
  'text/x-html',
  'text/x-json',
  'text/x-typescript',
  'text/x-abap',
  'text/x-apex',
  'text/x-azcli',
  'text/x-bat',
  'text/x-cameligo',
  'text/x-clojure',
  'text/x-coffee',
  'text/x-cpp',
  'text/x-csharp',
  'text/x-csp',
  'text/x-dart',
  'text/x-dockerfile',
  'text/x-ecl',
  'text/x-fsharp',
  'text/x-go',
  'text/x-graphql',
  'text/x-handlebars',
  'text/x-hcl',
  'text/x-ini',
  'text/x-java',
  'text/x-javascript',
  'text/x-julia',
  'text/x-kotlin',
  'text/x-less',
  'text/x-lexon',
  'text/x-lua',
  'text/x-m3',
  'text/x-markdown',
  'text/x-mips',
  'text/x-msdax',
  'text/x-mysql',
  'text/x-objective-c/objective',
  'text/x-pascal',
  'text/x-pascaligo',
  'text/x-perl',
  'text/x-pgsql',
  'text/x-php',
  'text/x-postiats',
  'text/x-powerquery',
  'text/x-powershell',
  'text/x-pug',
  'text/x-python',
  'text/x-r',
  'text/x-razor',
  'text/x-redis',
  'text/x-redshift',
  'text/x-restructuredtext',
  'text/x-ruby',
  'text/x-rust',
  'text/x-sb',
  'text/x-scala',
  'text/x-scheme',
  'text/x-scss',
  'text/x-shell',
  'text/x-solidity',
  'text/x-sophia',
  'text/x-sql',
  'text/x-st',
  'text/x-swift',
  'text/x-systemverilog',
  'text/x-tcl',
  'text/x-twig',
  'text/x-vb',
  'text/x-xml',
  'text/x-yaml',
  'application/json',
]);

/** The id of the renderer that draws a passing item of this MIME type. */
export function delegateIdFor(mime: string): string {
  return MARKDOWN_MIMES.has(mime) ? MARKDOWN_RENDERER_ID : BUILTIN_RENDERER_ID;
}

/** Error text for a delegate VS Code does not have: what happened and how to fix it. */
export function missingDelegateMessage(rendererId: string): string {
  return rendererId === MARKDOWN_RENDERER_ID
    ? 'Privet: VS Code’s Markdown renderer (built-in extension “Markdown Language Features”) is not available, so this Markdown or LaTeX output is not drawn. Fix: enable that extension (Extensions view, search “@builtin markdown”), then reload the window.'
    : 'Privet: VS Code’s built-in output renderer is not available, so this output is not drawn. Fix: reload the window.';
}

/** Fetches delegates once per id and routes disposal to the one that drew an item. */
export class Delegates {
  private readonly fetched = new Map<string, Promise<RendererApi | undefined>>();
  private readonly drawnBy = new Map<string, RendererApi>();

  /** Uses `getRenderer` (the renderer context's) to fetch delegates. */
  constructor(private readonly getRenderer: (id: string) => Promise<RendererApi | undefined>) {}

  /** The delegate with this id; undefined when VS Code has none (a failed fetch is retried). */
  get(id: string): Promise<RendererApi | undefined> {
    let api = this.fetched.get(id);
    if (!api) {
      api = this.getRenderer(id).catch(() => {
        this.fetched.delete(id);
        return undefined;
      });
      this.fetched.set(id, api);
    }
    return api;
  }

  /** Records that `api` draws item `itemId`; what another delegate drew there is disposed. */
  drawing(itemId: string, api: RendererApi): void {
    const before = this.drawnBy.get(itemId);
    if (before && before !== api) before.disposeOutputItem?.(itemId);
    this.drawnBy.set(itemId, api);
  }

  /** Disposes what a delegate drew for `itemId`, or, without an id, everything drawn. */
  dispose(itemId?: string): void {
    if (itemId === undefined) {
      for (const api of new Set(this.drawnBy.values())) api.disposeOutputItem?.();
      this.drawnBy.clear();
      return;
    }
    this.drawnBy.get(itemId)?.disposeOutputItem?.(itemId);
    this.drawnBy.delete(itemId);
  }
}
