import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.spec.ts', 'schemas/**/*.spec.ts', 'shared/**/*.spec.ts', 'services/**/*.spec.ts', 'training/**/*.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Service tests share real brokers; run files one at a time so ports and topics do not collide.
    fileParallelism: false,
    // Brings up missing services with testcontainers when Docker is there (or DRIFTLINE_TESTCONTAINERS=1); a no-op
    // when the service variables are set (CI: infra/local/up.sh). See tests/services/containers/globalSetup.ts.
    globalSetup: ['tests/services/containers/globalSetup.ts'],
  },
});
