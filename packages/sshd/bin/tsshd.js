#!/usr/bin/env node
import '../dist/tsshd.js';
