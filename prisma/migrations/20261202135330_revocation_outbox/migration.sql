-- CreateTable
CREATE TABLE "RevocationOutbox" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "providerName" TEXT NOT NULL,
    "linkId" TEXT NOT NULL,
    "accessTokenEnc" TEXT,
    "refreshTokenEnc" TEXT,
    "provider" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "giveUpAt" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RevocationOutbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RevocationOutbox_nextAttemptAt_idx" ON "RevocationOutbox"("nextAttemptAt");

-- CreateIndex
CREATE INDEX "RevocationOutbox_userId_idx" ON "RevocationOutbox"("userId");
