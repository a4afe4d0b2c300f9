// Counts API calls so tests and benchmarks can check "how many calls, how many throttled".

export interface ActionStats {
  calls: number;
  ok: number;
  errors: Record<string, number>;
}

export interface StatsSnapshot {
  totalCalls: number;
  throttled: number;
  byAction: Record<string, ActionStats>;
  throttledByAction: Record<string, number>;
  accessKeys: Record<string, number>;
  signatureVersions: Record<string, number>;
  apiVersions: Record<string, number>;
}

export class ApiStats {
  private snapshotData: StatsSnapshot = ApiStats.empty();

  private static empty(): StatsSnapshot {
    return { totalCalls: 0, throttled: 0, byAction: {}, throttledByAction: {}, accessKeys: {}, signatureVersions: {}, apiVersions: {} };
  }

  record(call: { action: string; errorCode?: string; accessKeyId?: string; signatureVersion?: string; apiVersion?: string }): void {
    const data = this.snapshotData;
    data.totalCalls++;
    const action = data.byAction[call.action] ?? { calls: 0, ok: 0, errors: {} };
    data.byAction[call.action] = action;
    action.calls++;
    if (call.errorCode === undefined) action.ok++;
    else action.errors[call.errorCode] = (action.errors[call.errorCode] ?? 0) + 1;
    if (call.errorCode === 'RequestLimitExceeded') {
      data.throttled++;
      data.throttledByAction[call.action] = (data.throttledByAction[call.action] ?? 0) + 1;
    }
    if (call.accessKeyId) data.accessKeys[call.accessKeyId] = (data.accessKeys[call.accessKeyId] ?? 0) + 1;
    if (call.signatureVersion) {
      data.signatureVersions[call.signatureVersion] = (data.signatureVersions[call.signatureVersion] ?? 0) + 1;
    }
    if (call.apiVersion) data.apiVersions[call.apiVersion] = (data.apiVersions[call.apiVersion] ?? 0) + 1;
  }

  snapshot(): StatsSnapshot {
    return structuredClone(this.snapshotData);
  }

  reset(): void {
    this.snapshotData = ApiStats.empty();
  }
}
