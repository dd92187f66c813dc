-- Deleting a bot (or a workspace) reaches some rows by two paths at once: a citation is
-- cascade-deleted with its message *and* has its chunk_id set null when the chunks go.
-- If the SET NULL runs first, the updated row's immediate check against the already
-- deleted parent fails the whole delete. Deferring these checks to commit time lets the
-- cascade finish first; the rows are gone by then, so nothing is left to violate.
ALTER TABLE "message_citations"
  ALTER CONSTRAINT "message_citations_message_id_messages_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "analytics_query_logs"
  ALTER CONSTRAINT "analytics_query_logs_bot_id_bots_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "conversations"
  ALTER CONSTRAINT "conversations_bot_id_bots_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "bots"
  ALTER CONSTRAINT "bots_workspace_id_workspaces_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "bot_documents"
  ALTER CONSTRAINT "bot_documents_bot_id_bots_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "workspace_members"
  ALTER CONSTRAINT "workspace_members_workspace_id_workspaces_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "workspace_members"
  ALTER CONSTRAINT "workspace_members_user_id_users_id_fk" DEFERRABLE INITIALLY DEFERRED;
