-- CreateTable
CREATE TABLE "OAuthDisabledClient" (
    "clientId" TEXT NOT NULL,
    "disabledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledBy" TEXT,

    CONSTRAINT "OAuthDisabledClient_pkey" PRIMARY KEY ("clientId")
);

