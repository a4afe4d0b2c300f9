/**
 * A record that `list()` skipped instead of failing the whole listing (ElastiCluster defect 21:
 * one empty state file broke `list` for every cluster).
 */
export interface StoreWarning {
  /** The cluster name the record belongs to, as far as the store can tell. */
  clusterName: string;
  /** Where the record is: a file path or a Redis key. */
  location: string;
  /** What is wrong and how to fix it, in one line. */
  message: string;
}

export type StoreWarningHandler = (warning: StoreWarning) => void;

/** Without a handler a skipped record is still visible: as a Node process warning on stderr. */
export const emitProcessWarning: StoreWarningHandler = (warning) => {
  process.emitWarning(warning.message, { type: 'ElastiqStoreWarning', code: 'ELASTIQ_CORRUPT_CLUSTER_RECORD' });
};
