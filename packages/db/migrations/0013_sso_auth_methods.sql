ALTER TYPE "public"."auth_provider" ADD VALUE 'oidc';--> statement-breakpoint
ALTER TABLE "auth_methods" DROP CONSTRAINT "auth_methods_provider_providerAccountId_unique";--> statement-breakpoint
ALTER TABLE "auth_methods" DROP CONSTRAINT "auth_methods_userId_provider_unique";--> statement-breakpoint
ALTER TABLE "auth_methods" ADD COLUMN "provider_name" varchar(64);--> statement-breakpoint
ALTER TABLE "auth_methods" ADD COLUMN "issuer" text;--> statement-breakpoint
ALTER TABLE "auth_methods" ADD COLUMN "email" varchar(320);--> statement-breakpoint
ALTER TABLE "auth_methods" ADD CONSTRAINT "auth_methods_provider_account_unique" UNIQUE NULLS NOT DISTINCT("provider","provider_name","provider_account_id");--> statement-breakpoint
ALTER TABLE "auth_methods" ADD CONSTRAINT "auth_methods_user_provider_unique" UNIQUE NULLS NOT DISTINCT("user_id","provider","provider_name");--> statement-breakpoint
ALTER TABLE "auth_methods" ADD CONSTRAINT "auth_methods_provider_name" CHECK (("auth_methods"."provider_name" is null) = ("auth_methods"."provider" in ('email', 'google', 'github')));