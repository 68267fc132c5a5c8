-- CreateTable
CREATE TABLE "OAuthModel" (
    "kind" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "grantId" TEXT,
    "uid" TEXT,
    "userCode" TEXT,
    "expiresAt" TIMESTAMP(3),
    "consumedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OAuthModel_pkey" PRIMARY KEY ("kind","id")
);

-- CreateTable
CREATE TABLE "OAuthRevokedGrant" (
    "grantId" TEXT NOT NULL,
    "revokedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OAuthRevokedGrant_pkey" PRIMARY KEY ("grantId")
);

-- CreateTable
CREATE TABLE "OAuthSigningKey" (
    "kid" TEXT NOT NULL,
    "alg" TEXT NOT NULL,
    "privateJwkEnc" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OAuthSigningKey_pkey" PRIMARY KEY ("kid")
);

-- CreateTable
CREATE TABLE "IdpToken" (
    "userId" TEXT NOT NULL,
    "refreshTokenEnc" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IdpToken_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE INDEX "OAuthModel_grantId_idx" ON "OAuthModel"("grantId");

-- CreateIndex
CREATE INDEX "OAuthModel_kind_uid_idx" ON "OAuthModel"("kind", "uid");

-- CreateIndex
CREATE INDEX "OAuthModel_kind_userCode_idx" ON "OAuthModel"("kind", "userCode");

-- CreateIndex
CREATE INDEX "OAuthModel_expiresAt_idx" ON "OAuthModel"("expiresAt");

-- CreateIndex
CREATE INDEX "OAuthRevokedGrant_revokedAt_idx" ON "OAuthRevokedGrant"("revokedAt");

-- AddForeignKey
ALTER TABLE "IdpToken" ADD CONSTRAINT "IdpToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

