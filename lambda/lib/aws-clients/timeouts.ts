// Stream waits 6 s per attempt, so an SDK call must give up well before that and let us answer 503.
export const clientOptions = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
};
