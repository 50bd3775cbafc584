#!/usr/bin/env node
import '../dist/tssh.js';
