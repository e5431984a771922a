// The figures program.ts and the matrix test share. Apart from program.ts, which imports the
// package's build: the test must load before that build exists (a fresh clone has no dist/).
export const TEST_KEY = 'ak_test_RUNTIMEsecret0123456789abcd';
export const WEBHOOK_SECRET = 'whsec_runtime_matrix_1';
export const WEBHOOK_BODY = '{"id":"evt_1","type":"api_key.revoked","created":1780306200,"data":{"id":"key_9"}}';
export const WEBHOOK_T = 1_780_306_200;
