// Stream waits 6 s per attempt, so an SDK call must give up well before that and let us answer 503.
// The consumer's claims use the same: a hung DynamoDB call would hold up its whole batch.
export const clientOptions = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
};
