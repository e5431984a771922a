// The public surface of `@coveton/sdk`: every export by name, so that a change of the surface
// is a change of this file (and of the report in api/, which the package test checks).
export { createCoveton } from './client.js';
export { apiKeyAuth, bearerAuth } from './session/credentials.js';
export { memoryRateLimitStore, type MemoryRateLimitStore } from './pipeline/rate-limit/store.js';
export { memoryTokenStore } from './session/tokens.js';
export { PagePromise, PaginationError, type PageFetcher } from './resources/pagination.js';
export { VERSION } from './version.js';
export {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  BadRequestError,
  AuthenticatorError,
  BodyTooLargeError,
  ChunkLoadError,
  ConflictError,
  CovetonError,
  CovetonInputError,
  ForbiddenError,
  InternalServerError,
  NotFoundError,
  RateLimitedError,
  RedirectError,
  SessionExpiredError,
  TokenDecryptError,
  TokenStoreError,
  UnauthorizedError,
  UnexpectedResponseError,
  ValidationError,
  type APIErrorInit,
  type ErrorCode,
  type ErrorEnvelope,
  type ErrorReason,
  type ValidationIssue,
} from './errors/index.js';
export type { Coveton, RawClient } from './public/client.js';
export { ENVIRONMENTS, type BackoffOptions, type CovetonOptions, type Environment } from './public/options.js';
export type { RequestOptions } from './public/request-options.js';
export type { AttemptInfo, Hooks, RequestEvent, ResponseEvent, RetryEvent } from './public/events.js';
export type { Authenticator, AuthRequest } from './public/auth.js';
export type { LogLevel, Logger } from './public/logger.js';
export type { RateLimitDecision, RateLimitInfo, RateLimitOptions, RateLimitReport, RateLimitStore, RateLimitTake } from './public/rate-limit.js';
export type { LogoutOptions, SessionHelpers, SessionOptions, SessionTokens, TokenStore } from './public/session.js';
export type { DownloadOptions, FileHelpers, UploadBody, UploadOptions, UploadSource } from './public/files.js';
// Generated from the spec: the resources, their query types, and one named type per schema
// (test/sdk/surface.test.ts checks that none is missing here).
export type {
  ApiKeysListQuery, ApiKeysResource, AuditLogsListQuery, AuditLogsResource, AuthCompleteOAuthQuery,
  AuthResource, AuthStartGithubOAuthQuery, AuthStartGoogleOAuthQuery, BillingListInvoicesQuery,
  BillingResource, ChatsListMessagesQuery, ChatsListQuery, ChatsResource, ClientPaths,
  DepartmentsListQuery, DepartmentsResource, DevicesListForChatQuery, DevicesListForUserQuery,
  DevicesListQuery, DevicesResource, FilesResource,
  InvitesResource, MessagesResource, NotificationsListQuery, NotificationsResource,
  OrganizationsListMembersQuery, OrganizationsListQuery, OrganizationsResource,
  PermissionsListQuery, PermissionsResource, Resources, RolesListQuery, RolesResource,
  SessionOperations, SessionsListQuery, SessionsResource, TeamsListQuery, TeamsResource,
  UsersResource, UsersSearchQuery, UtilsResource
} from '../generated/resources.js';
export type {
  ApiKey, ApiKeyCreate, ApiKeyCreatedEvent, ApiKeyEnvironment, ApiKeyRevokedEvent, ApiKeyStatus,
  ApiKeyType, ApiKeyUpdate, ApiKeyWithSecret, AuditActor, AuditLog, AuthSession, AuthTestResult,
  AuthTokens, Chat, ChatCreate, ChatParticipant, CheckoutCreate, CheckoutSession, Department,
  DepartmentCreate, DepartmentUpdate, Device, DeviceCreate, DeviceRegisteredEvent,
  DeviceRemovedEvent, DeviceSuites, Envelope, FileDownload, FilePresignRequest, FileUpload, FlutterwaveEvent,
  ForgotPasswordRequest, IdentityKey, Invite, InviteAccept, InviteCreate, Invoice, InvoicePaidEvent, IpRange,
  LoginRequest, LogoutRequest, Member, MemberJoinedEvent, MemberRemovedEvent, MemberUpdate,
  MemberUpdatedEvent, Message, MessageCreate, MessageCreatedEvent, MessageDeletedEvent,
  MessageReactionSummary, MessageUpdate, MessageUpdatedEvent, Notification, NotificationsRead,
  NotificationsReadResult, Organization, OrganizationBranding, OrganizationCreate,
  OrganizationSettings, OrganizationSuspend, OrganizationUpdate, PaystackEvent, Permission,
  PermissionScope, PreKey, Reaction, ReactionCreate, RefreshRequest, RegisterRequest,
  ResetPasswordRequest, Role, RoleCreate, RoleUpdate, Schema, Session, SessionRevokedEvent, SignedPreKey,
  StripeEvent, Subscription, SubscriptionUpdatedEvent, Team, TeamCreate, TeamUpdate, User,
  UserSummary, UserUpdate, WebhookReceipt
} from '../generated/models.js';
