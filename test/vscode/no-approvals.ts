/** The parts of a fake gateway client for a gateway that approved nothing and vouches for no release. */
export const noApprovals = {
  /** Every asked content hash: no review. */
  reviewStatus({ contentHashes }: { contentHashes: string[] }) {
    return Promise.resolve({
      statuses: contentHashes.map((contentHash) => ({ contentHash, state: 'none' })),
    });
  },
  /** No release is the ledger's. */
  verifyReleases() {
    return Promise.resolve({ releases: [] });
  },
};
