/** API keys. */
export const API_KEYS: Record<string, string> = {
  ApiKey: 'An API key (admin only); never its secret.',
  'ApiKey.name': 'Unique key name; audit rows say key:<name>.',
  'ApiKey.role': 'dashboard, partner, script or admin.',
  'ApiKey.expiresAt': 'When it stops working (UTC); null = never.',
  'ApiKey.revokedAt': 'When it was revoked (UTC).',
  'ApiKey.lastUsedAt': 'Last use, written at most once a minute (UTC).',
  'CreateApiKeyInput.name': 'Unique name: letters, digits, . _ : -.',
  'RevokeApiKeyInput.name': 'Name of the key to revoke.',
  CreateApiKeyPayload: 'The new key and its secret (shown once).',
  RevokeApiKeyPayload: 'The revoked key.',

};
