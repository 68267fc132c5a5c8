-- AlterTable
ALTER TABLE "IdpToken" ADD COLUMN     "accessTokenEnc" TEXT,
ADD COLUMN     "accessTokenUntil" TIMESTAMP(3);

