#!/usr/bin/env node
import '../dist/tscp.js';
