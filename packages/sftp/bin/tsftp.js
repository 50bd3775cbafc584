#!/usr/bin/env node
import '../dist/tsftp.js';
