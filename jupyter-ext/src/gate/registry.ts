/**
 * A rendermime registry whose every renderer is a GatedOutput around the renderer the notebook
 * would have used. It copies the notebook's registry (factories, ranks, sanitizer, resolver…), so
 * outputs render exactly as before once they pass, and its clones stay gated.
 */
import { RenderMimeRegistry, type IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { GatedOutput } from './GatedOutput.js';
import type { GateHost } from './host.js';

/** Options of RenderMimeRegistry taken from an existing registry. */
function optionsOf(base: IRenderMimeRegistry): RenderMimeRegistry.IOptions {
  return {
    resolver: base.resolver ?? undefined,
    sanitizer: base.sanitizer,
    linkHandler: base.linkHandler ?? undefined,
    latexTypesetter: base.latexTypesetter ?? undefined,
    markdownParser: base.markdownParser ?? undefined,
    translator: base instanceof RenderMimeRegistry ? base.translator : undefined,
  };
}

/** The notebook's registry, with every renderer gated by the review engine. */
export class GatedRenderMimeRegistry extends RenderMimeRegistry {
  /** Copies `ungated` (factories in rank order) and gates its renderers through `host`. */
  constructor(
    /** The registry this one copies, ungated (markdown cells render with it: authored text). */
    readonly ungated: IRenderMimeRegistry,
    readonly host: GateHost,
  ) {
    super(optionsOf(ungated));
    const order = ungated.mimeTypes;
    const added = new Set<IRenderMime.IRendererFactory>();
    for (const mimeType of order) {
      const factory = ungated.getFactory(mimeType);
      if (factory && !added.has(factory)) {
        added.add(factory);
        this.addFactory(factory, ungated.getRank(mimeType));
      }
    }
    for (const mimeType of order) {
      const factory = ungated.getFactory(mimeType);
      if (factory && this.getFactory(mimeType) !== factory) {
        // Two factories claimed this type; keep the ungated registry's winner for this type only.
        this.addFactory({ ...factory, mimeTypes: [mimeType] }, ungated.getRank(mimeType));
      }
      const rank = ungated.getRank(mimeType);
      if (rank !== undefined) this.setRank(mimeType, rank); // same order, ties included
    }
  }

  /** The renderer the base would create, behind the gate (which may ask for a new one later). */
  override createRenderer(mimeType: string): IRenderMime.IRenderer {
    return new GatedOutput(super.createRenderer(mimeType), this.host, () =>
      super.createRenderer(mimeType),
    );
  }

  /** A clone that is gated too (same host). */
  override clone(options: IRenderMimeRegistry.ICloneOptions = {}): GatedRenderMimeRegistry {
    const plain = super.clone(options);
    return new GatedRenderMimeRegistry(plain, this.host);
  }
}
