#!/usr/bin/env node
import '../dist/tsshd-session.js';
