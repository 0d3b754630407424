/** The key pair `npm run dev` accepts and `npm run send` signs with when no STREAM_API_* is set. */
export const DEV_API_KEY = 'dev-api-key';
export const DEV_API_SECRET = 'dev-api-secret';
