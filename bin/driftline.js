#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a clone runs without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../services/cli/main.ts');
