-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "traceId" TEXT;
