-- Invitations used to create a placeholder user (PENDING_VERIFICATION, no password) with
-- its membership at once, and whoever signed up first with the address took both. Such
-- memberships become pending invitations that have already expired (no one holds a token
-- for them: an OWNER or ADMIN resends them from the members page), and the placeholders go.
INSERT INTO "workspace_invitations" ("workspace_id", "email", "role", "invited_by", "token_hash", "expires_at", "created_at", "updated_at")
SELECT m."workspace_id", u."email", m."role", m."invited_by",
       encode(sha256(convert_to(gen_random_uuid()::text || m."id"::text, 'UTF8')), 'hex'),
       now(), m."created_at", now()
FROM "workspace_members" m
JOIN "users" u ON u."id" = m."user_id"
WHERE u."status" = 'PENDING_VERIFICATION'
  AND NOT EXISTS (SELECT 1 FROM "auth_methods" a WHERE a."user_id" = u."id")
ON CONFLICT DO NOTHING;
--> statement-breakpoint
DELETE FROM "users" u
WHERE u."status" = 'PENDING_VERIFICATION'
  AND NOT EXISTS (SELECT 1 FROM "auth_methods" a WHERE a."user_id" = u."id");
