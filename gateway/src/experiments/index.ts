/** Experiments: proposals, four-eyes approval, lifecycle, access checks and dissolution. */
export { ExperimentService, type ExperimentServiceOptions } from './service.js';
export { type ProposalInput, validateProposal, newExperimentId } from './proposal.js';
export {
  type Actor,
  effectiveRoles,
  hasRole,
  isMember,
  experimentUseRefusal,
  viewUseRefusal,
  sourceUseRefusal,
} from './access.js';
export {
  type ArtefactStore,
  artefactDir,
  directoryArtefactStore,
  EXPERIMENT_ID,
} from './artefacts.js';
export { ensureExperimentSchema, loadExperiment, loadExperiments } from './store.js';
