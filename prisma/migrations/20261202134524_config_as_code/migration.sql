-- AlterTable
ALTER TABLE "Provider" ADD COLUMN     "clientSecretRef" JSONB,
ADD COLUMN     "managedBy" TEXT;

-- AlterTable
ALTER TABLE "Backend" ADD COLUMN     "managedBy" TEXT,
ADD COLUMN     "secretRef" JSONB;

