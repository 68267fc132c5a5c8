-- AlterTable
ALTER TABLE "Backend" ADD COLUMN     "protocolEra" TEXT,
ADD COLUMN     "protocolVersion" TEXT;
