#!/usr/bin/env node
// The installed command: the built CLI (npm run build makes cli/dist).
import '../dist/cli.js';
