// The entry `@coveton/sdk/schema` (types only): the OpenAPI types openapi-typescript generates
// from the spec (`paths`, `operations`, `components`, `webhooks`). The SDK's own surface names
// its models (`ApiKey`, `Message`...) and refers to these by this entry, so that its API report
// shows the SDK and this entry's report the schema.
export type { components, operations, paths, webhooks } from '../generated/schema.js';
